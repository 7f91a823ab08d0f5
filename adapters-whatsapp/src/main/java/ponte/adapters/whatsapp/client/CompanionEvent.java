package ponte.adapters.whatsapp.client;

import java.time.Instant;
import java.util.Optional;

/** What a companion device reports to whoever runs it (the engine), in the order it happened. */
public sealed interface CompanionEvent {

    /** A QR text to show until {@code expiresAt}; the next one replaces it. */
    record QrCode(String text, Instant expiresAt) implements CompanionEvent {
    }

    /**
     * The phone linked this device. {@code businessName} is empty for personal accounts; the push name is not part
     * of pair-success and arrives with account sync.
     */
    record Paired(String jid, String lid, String platform, String businessName) implements CompanionEvent {
    }

    /** A pair-success was refused (bad HMAC, bad account signature); no account is stored. */
    record PairingFailed(String reason) implements CompanionEvent {
    }

    /**
     * The phone did not accept the pairing code typed into it (a wrong or stale code): the code is spent, and linking
     * by code needs a new one.
     */
    record PairingCodeRejected() implements CompanionEvent {
    }

    /**
     * Something the device received that must be kept before the server hears it arrived: the listener's
     * {@link Companion.Listener#onReceived} stores it and returns, or throws, and the stanza stays unacknowledged
     * (the server delivers it again on the next connection).
     */
    sealed interface Received extends CompanionEvent {
    }

    /**
     * Someone calls the account: {@code callId} as WhatsApp names the call, {@code from} the caller's JID (the
     * call-creator), {@code video} for a video call, {@code at} when the offer was made (whatsmeow call.go, wire
     * {@code <call from id t><offer call-id call-creator>[<video/>]</offer></call>}).
     */
    record CallOffered(String stanzaId, String callId, String from, boolean video, Optional<Instant> at)
            implements Received {
    }

    /**
     * A message went through the account: one sent to it ({@code received}) or one our own phone or other
     * devices sent ({@code sent}), decrypted and kept in the device store until the listener has it (issue 10 §2
     * "Receive"). The listener stores it idempotently enough that the same message handed on twice after a crash
     * is one event; the client hands a message on again only when a crash came between the two.
     */
    record MessageReceived(ponte.domain.message.MessageExchanged exchanged) implements Received {
    }

    /**
     * A receipt for messages this account sent ({@code <receipt from id t [type] [participant]>[<list><item id/>…
     * </list>]</receipt>}, protocol.md §1.15): the chat they went to (the recipient's account, without device, or the
     * group), the member who sent it in a group, delivered/read/played, the ids it covers and when it happened.
     */
    record ReceiptReceived(ponte.domain.message.Jid chat, Optional<ponte.domain.message.Jid> participant,
            ponte.domain.message.MessageStatus status, java.util.List<ponte.domain.message.MessageId> ids,
            Instant at) implements Received {

        public ReceiptReceived {
            ids = java.util.List.copyOf(ids);
        }
    }

    /**
     * Our own primary told us the account's push name (the initial history bootstrap, protocol.md §1.18); it is
     * already in the device store, and the listener records it on the account.
     */
    record PushNameLearned(String pushName) implements Received {
    }

    /**
     * A chunk of the history our own phone handed this device after linking (protocol.md §1.18), read streamed:
     * at most a batch of messages (each {@code fromHistory}) and of contacts (a JID, the other of PN/LID when known,
     * the push name). {@code linkedAt} is when the phone sent the history. Kept like any received stanza: the
     * history notification is acknowledged only after every chunk of it was kept.
     */
    record HistoryReceived(java.util.List<ponte.domain.message.MessageExchanged> messages,
            java.util.List<ponte.domain.message.Sender> contacts, Instant linkedAt) implements Received {

        public HistoryReceived {
            messages = java.util.List.copyOf(messages);
            contacts = java.util.List.copyOf(contacts);
        }
    }

    /** The server accepted the device's login: it is online. */
    record LoggedIn(String jid, String lid) implements CompanionEvent {
    }

    /**
     * The connection's state changed. Terminal states ({@link ConnectionState#terminal()}) stop reconnecting;
     * {@link ConnectionState#LOGGED_OUT} also means the device's credentials were wiped.
     */
    record StatusChanged(ConnectionStatus status) implements CompanionEvent {
    }
}
