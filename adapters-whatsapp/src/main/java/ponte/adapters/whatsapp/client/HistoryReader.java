package ponte.adapters.whatsapp.client;

import com.google.protobuf.CodedInputStream;
import com.google.protobuf.ExtensionRegistryLite;
import com.google.protobuf.WireFormat;
import java.io.IOException;
import java.io.InputStream;
import java.util.Optional;
import ponte.adapters.whatsapp.proto.History;

/**
 * Reads a {@code HistorySync} (protocol.md §1.18; field numbers in {@code history.proto}) field by field from a
 * stream, so a history of any size is read in the memory of one message at a time: the top-level fields push names
 * (7), PN↔LID mappings (15) and the NCT salt (19) are handed over as they come; each conversation (2) is entered
 * without being parsed whole, its messages (2.2) handed over one by one (or skipped unread when {@code messages} is
 * false) and its own fields (id, name, PN and LID JIDs, trusted-contact token) handed over when it ends.
 */
final class HistoryReader {

    /** What the reader found, in stream order. */
    interface Visitor {
        default void pushName(String jid, String name) {
        }

        default void mapping(String pnJid, String lidJid) {
        }

        default void nctSalt(byte[] salt) {
        }

        /** One message of conversation {@code chatJid} (the conversation's id, read before its messages). */
        default void message(String chatJid, History.WebMessageInfo message) {
        }

        /** A conversation ended; its messages were handed over before. */
        default void conversation(Chat chat) {
        }
    }

    /**
     * A conversation's own fields: its JID, the name the phone shows, its PN and LID JIDs when the phone knows
     * both, and the trusted-contact token we hold for it with its time (Unix seconds; 0 when absent).
     */
    record Chat(String jid, Optional<String> name, Optional<String> pnJid, Optional<String> lidJid,
                Optional<byte[]> tcToken, long tcTokenTimestamp) {
    }

    private HistoryReader() {
    }

    /** Reads {@code in} (the inflated HistorySync) to its end. */
    static void read(InputStream in, boolean messages, Visitor visitor) throws IOException {
        CodedInputStream input = CodedInputStream.newInstance(in, 64 * 1024);
        // positions are ints: a history up to 2 GB inflated (WhatsApp's chunks are a few MB)
        input.setSizeLimit(Integer.MAX_VALUE);
        ExtensionRegistryLite registry = ExtensionRegistryLite.getEmptyRegistry();
        for (int tag = input.readTag(); tag != 0; tag = input.readTag()) {
            switch (WireFormat.getTagFieldNumber(tag)) {
                case 2 -> {
                    int limit = input.pushLimit(input.readRawVarint32());
                    conversation(input, messages, visitor, registry);
                    input.popLimit(limit);
                }
                case 7 -> {
                    History.Pushname name = input.readMessage(History.Pushname.parser(), registry);
                    if (!name.getId().isEmpty() && !name.getPushname().isBlank()) {
                        visitor.pushName(name.getId(), name.getPushname());
                    }
                }
                case 15 -> {
                    History.PhoneNumberToLidMapping mapping = input.readMessage(
                            History.PhoneNumberToLidMapping.parser(), registry);
                    visitor.mapping(mapping.getPnJid(), mapping.getLidJid());
                }
                case 19 -> visitor.nctSalt(input.readByteArray());
                default -> input.skipField(tag);
            }
        }
    }

    private static void conversation(CodedInputStream input, boolean messages, Visitor visitor,
            ExtensionRegistryLite registry) throws IOException {
        String jid = "";
        Optional<String> name = Optional.empty();
        Optional<String> pn = Optional.empty();
        Optional<String> lid = Optional.empty();
        Optional<byte[]> token = Optional.empty();
        long tokenAt = 0;
        while (!input.isAtEnd()) {
            int tag = input.readTag();
            switch (WireFormat.getTagFieldNumber(tag)) {
                case 1 -> jid = input.readString();
                case 2 -> {
                    if (messages && !jid.isEmpty()) {
                        History.HistorySyncMsg message = input.readMessage(History.HistorySyncMsg.parser(),
                                registry);
                        if (message.hasMessage()) {
                            visitor.message(jid, message.getMessage());
                        }
                    } else {
                        input.skipField(tag);
                    }
                }
                case 13 -> name = Optional.of(input.readString()).filter(text -> !text.isBlank());
                case 21 -> token = Optional.of(input.readByteArray()).filter(bytes -> bytes.length > 0);
                case 22 -> tokenAt = input.readUInt64();
                case 39 -> pn = Optional.of(input.readString()).filter(text -> !text.isEmpty());
                case 42 -> lid = Optional.of(input.readString()).filter(text -> !text.isEmpty());
                default -> input.skipField(tag);
            }
        }
        if (!jid.isEmpty()) {
            visitor.conversation(new Chat(jid, name, pn, lid, token, tokenAt));
        }
    }
}
