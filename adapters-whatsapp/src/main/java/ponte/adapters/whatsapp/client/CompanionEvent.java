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
     * A call to the account moved ({@link Calls}): {@code type} is {@code offer}, {@code accepted}, {@code rejected},
     * {@code terminated} or {@code missed}; {@code callId} as WhatsApp names the call, {@code from} the caller's JID
     * (the call-creator), {@code video} for a video call, {@code at} the stanza's time (whatsmeow call.go, wire
     * {@code <call from id t><offer|accept|reject|terminate call-id call-creator>…</call>}).
     */
    record CallUpdated(String stanzaId, String type, String callId, String from, boolean video,
            Optional<Instant> at) implements Received {
    }

    /**
     * A message went through the account: one sent to it ({@code received}) or one our own phone or other
     * devices sent ({@code sent}), decrypted and kept in the device store until the listener has it (issue 10 §2
     * "Receive"). The listener stores it idempotently enough that the same message handed on twice after a crash
     * is one event; the client hands a message on again only when a crash came between the two. A media message
     * comes with the file it points at ({@code file}), for the application to download.
     */
    record MessageReceived(ponte.domain.message.MessageExchanged exchanged, Optional<ReceivedFile> file)
            implements Received {
        public MessageReceived {
            java.util.Objects.requireNonNull(exchanged, "exchanged");
            java.util.Objects.requireNonNull(file, "file");
        }

        /** A message without a file. */
        public MessageReceived(ponte.domain.message.MessageExchanged exchanged) {
            this(exchanged, Optional.empty());
        }
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
     * A group changed ({@code <notification type=w:gp2 from=gid participant [participant_pn] t>}, protocol.md §1.21;
     * whatsmeow group.go {@code parseGroupChange}), whoever changed it, ourselves included: {@code author} is the
     * account that made the change (the notification's {@code participant}, in the group's addressing mode) and
     * {@code authorOther} its other name when told; one {@link GroupChange} per child of the notification.
     */
    record GroupChanged(String stanzaId, String group, Optional<String> author, Optional<String> authorOther,
            Optional<Instant> at, java.util.List<GroupChange> changes) implements Received {

        public GroupChanged {
            changes = java.util.List.copyOf(changes);
        }
    }

    /**
     * One change of a {@link GroupChanged}: {@code kind} is the wire's tag ({@code create}, {@code add},
     * {@code remove}, {@code leave}, {@code promote}, {@code demote}, {@code subject}, {@code description},
     * {@code announcement}, {@code not_announcement}, {@code locked}, {@code unlocked}, {@code invite}, or another
     * the client does not interpret), {@code reason} its {@code reason} attribute ({@code invite} for a join by
     * invite link), the participants it names, {@code text} the new subject, description (empty when deleted) or
     * invite code, and for {@code create} the new group.
     */
    record GroupChange(String kind, Optional<String> reason, java.util.List<GroupInfo.Participant> participants,
            Optional<String> text, Optional<GroupInfo> created) {

        public GroupChange {
            participants = java.util.List.copyOf(participants);
        }
    }

    /**
     * Our own primary told us the account's push name (the initial history bootstrap, protocol.md §1.18); it is
     * already in the device store, and the listener records it on the account.
     */
    record PushNameLearned(String pushName) implements Received {
    }

    /**
     * App-state sync verified and decoded changes our own phone made ({@link AppState}): contact names, chat
     * archive/pin/mute, labels. The collection's new version is stored only after the listener returned, so a crash
     * in between hands the same changes on again (they are idempotent but for the label events they publish).
     */
    record AppStateSynced(String collection, java.util.List<ponte.domain.appstate.AppStateChange> changes)
            implements Received {

        public AppStateSynced {
            changes = java.util.List.copyOf(changes);
        }
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

    /**
     * The server accepted the device's login and holds its prekeys (uploaded first when it ran low): it is online,
     * and peers can encrypt for it. Reported after the upload, not with the login: a sender's phone skips a device
     * whose prekeys it cannot fetch, so what it sent earlier reaches this device only inside the phone's history.
     */
    record LoggedIn(String jid, String lid) implements CompanionEvent {
    }

    /**
     * The connection's state changed. Terminal states ({@link ConnectionState#terminal()}) stop reconnecting;
     * {@link ConnectionState#LOGGED_OUT} also means the device's credentials were wiped.
     */
    record StatusChanged(ConnectionStatus status) implements CompanionEvent {
    }
}
