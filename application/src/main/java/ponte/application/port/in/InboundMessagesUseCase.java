package ponte.application.port.in;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import ponte.domain.message.Jid;
import ponte.domain.message.MessageExchanged;
import ponte.domain.message.MessageId;
import ponte.domain.message.MessageStatus;

/**
 * How the WhatsApp engine hands over messages and receipts. Same contract as {@link InboundEventUseCase}: when a
 * method returns, what it was given is committed (and its events with their deliveries), and only then may the
 * engine acknowledge the stanza; when it throws, nothing was stored and the stanza stays unacknowledged.
 */
public interface InboundMessagesUseCase {

    /**
     * Stores a message this instance received, or one its account sent from another device (the phone), and
     * publishes one {@code message.exchange} event. A message id already stored for the instance and chat changes
     * nothing and publishes nothing (the server redelivers after a reconnect). Returns whether it was new.
     */
    boolean exchanged(UUID instanceId, MessageExchanged exchanged);

    /**
     * As {@link #exchanged(UUID, MessageExchanged)}, for a media message with what it takes to download its file:
     * the file is downloaded ({@link ponte.application.port.out.MediaTransferPort#download}), stored, and the
     * message's {@code media.url} (or {@code media.error}) set before it is stored and announced. The default,
     * for recorders that keep no files, ignores the file.
     */
    default boolean exchanged(UUID instanceId, MessageExchanged exchanged, Optional<ReceivedMedia> media) {
        return exchanged(instanceId, exchanged);
    }

    /**
     * The file a received media message points at, as its {@code ImageMessage} (or sibling) names it: where it lies,
     * the key that opens it and the hashes that check it (protocol.md §1.16). The media service turns it into a
     * {@link ponte.application.port.out.MediaTransferPort.MediaRef} for the download; the message it belongs to is
     * the one handed over with it.
     *
     * @param kind          the media family (fixes the HKDF info of its keys)
     * @param directPath    the path on the media host
     * @param url           the full URL the sender was given, when present
     * @param mediaKey      32 bytes
     * @param fileSha256    SHA-256 of the plaintext, 32 bytes
     * @param fileEncSha256 SHA-256 of the uploaded body (ciphertext ‖ MAC), 32 bytes
     * @param fileLength    the plaintext's length in bytes
     */
    record ReceivedMedia(ponte.domain.message.MediaType kind, String directPath, Optional<String> url,
                         byte[] mediaKey, byte[] fileSha256, byte[] fileEncSha256, long fileLength) {
        public ReceivedMedia {
            java.util.Objects.requireNonNull(kind, "kind");
            java.util.Objects.requireNonNull(directPath, "directPath");
            java.util.Objects.requireNonNull(url, "url");
            mediaKey = mediaKey.clone();
            fileSha256 = fileSha256.clone();
            fileEncSha256 = fileEncSha256.clone();
        }

        @Override
        public byte[] mediaKey() {
            return mediaKey.clone();
        }

        @Override
        public byte[] fileSha256() {
            return fileSha256.clone();
        }

        @Override
        public byte[] fileEncSha256() {
            return fileEncSha256.clone();
        }

        /** Never prints the media key. */
        @Override
        public String toString() {
            return "ReceivedMedia[" + kind + ", " + directPath + ", " + fileLength + " bytes]";
        }
    }

    /**
     * A receipt for messages this instance sent: each known message moves forward by the domain's status machine
     * and publishes {@code message.status} when it moved; unknown ids are ignored.
     */
    void receipt(UUID instanceId, Receipt receipt);

    /**
     * A chunk of the history our own phone handed the newly linked device (protocol.md §1.18). Its contacts (push
     * names, PN and LID) are always kept; its messages only when the instance's {@code skip_history_sync} is false
     * (and, with {@code ignore_groups}, not those of groups): stored as read, skipping ids already stored, each a
     * {@code message.exchange} event with {@code from_history: true} that goes to webhooks only when it is newer
     * than {@code linkedAt} (both in whole seconds) (API.md "Settings in force"; WebSocket clients see them all). Returns how many messages
     * were stored. The engine acknowledges the history only after its last chunk returned.
     */
    int history(UUID instanceId, History history);

    /**
     * One chunk of history as the engine read it.
     *
     * @param messages the messages, each {@link ponte.domain.message.Message#fromHistory()}
     * @param contacts people the history named: a JID (phone number or LID), the other one when known, push name
     * @param linkedAt when the phone linked this device, as the history says (the time it sent it)
     */
    record History(List<MessageExchanged> messages, List<ponte.domain.message.Sender> contacts, Instant linkedAt) {
        public History {
            messages = List.copyOf(messages);
            contacts = List.copyOf(contacts);
        }
    }

    /**
     * One receipt stanza as the engine read it.
     *
     * @param chat        the chat the messages belong to (the recipient's account JID, or the group)
     * @param participant the member who sent it, in a group
     * @param status      delivered, read or played
     * @param ids         the message ids it covers (a receipt may list several)
     * @param at          when the server says it happened
     */
    record Receipt(Jid chat, Optional<Jid> participant, MessageStatus status, List<MessageId> ids, Instant at) {
        public Receipt {
            ids = List.copyOf(ids);
            if (!status.isReceipt()) {
                throw new IllegalArgumentException("a receipt reports delivered, read or played");
            }
        }
    }
}
