package ponte.adapters.whatsapp.sandbox;

import java.io.ByteArrayOutputStream;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.zip.Deflater;
import ponte.adapters.whatsapp.binary.Jid;
import ponte.adapters.whatsapp.proto.E2e;
import ponte.adapters.whatsapp.proto.History;

/**
 * A virtual phone's chats, as a phone keeps them to hand a newly linked companion (protocol.md §1.18): the 1:1 texts
 * it sent and received, and any seeded through the sandbox ({@link #seed}). In memory only, like the phone's other
 * message lists. {@link #chunks} turns them into the zlib-deflated {@code HistorySync} payloads the phone sends:
 * the first an INITIAL_BOOTSTRAP with the push names, PN↔LID mappings and NCT salt, the rest RECENT, each with at
 * most a given number of messages, every one inline (the sandbox has no media host for history blobs).
 */
final class PhoneHistory {

    /** One message of a chat: the chat's PN JID, the id, whether the phone sent it, its text and time. */
    record Entry(String chat, String id, boolean fromMe, String text, Instant at) {
    }

    /** A chat partner as the history names it: push name and LID, when known. */
    record Person(Optional<String> pushName, Optional<String> lid) {
    }

    private final List<Entry> entries = new ArrayList<>();
    /** What the history says of the seeded chats' people (numbers no sandbox phone has). */
    private final Map<String, Person> seeded = new LinkedHashMap<>();

    synchronized void add(Entry entry) {
        entries.add(entry);
    }

    synchronized int size() {
        return entries.size();
    }

    /**
     * Adds {@code count} texts over {@code chats} chats with the numbers {@code numbers} gives (by index) and the
     * people {@code people} makes up for them, every third one of a chat sent by the phone, one a minute up to {@code until};
     * ids are fresh 16-byte hex, as a phone's.
     */
    synchronized void seed(int count, int chats, Function<Integer, String> numbers, Function<String, Person> people,
            Instant until, java.util.random.RandomGenerator random) {
        for (int i = 0; i < count; i++) {
            byte[] id = new byte[16];
            random.nextBytes(id);
            String chat = Jid.device(numbers.apply(i % chats), 0, Jid.USER_SERVER).toString();
            seeded.computeIfAbsent(chat, people);
            entries.add(new Entry(chat, HexFormat.of().withUpperCase().formatHex(id), (i / chats) % 3 == 2,
                    "history message " + (i + 1), until.minusSeconds(60L * (count - i))));
        }
    }

    /**
     * The phone's history as deflated {@code HistorySync} payloads of at most {@code perChunk} messages each (at
     * least one payload, for the push names). {@code own}: the phone's PN JID and push name; {@code people} tells
     * what the history says of a chat partner (by PN JID).
     */
    synchronized List<byte[]> chunks(String ownJid, Optional<String> ownPushName, Function<String, Person> known,
            byte[] nctSalt, int perChunk) {
        Function<String, Person> people = chat -> seeded.containsKey(chat) ? seeded.get(chat) : known.apply(chat);
        Map<String, List<Entry>> byChat = new LinkedHashMap<>();
        for (Entry entry : entries) {
            byChat.computeIfAbsent(entry.chat(), chat -> new ArrayList<>()).add(entry);
        }
        var first = History.HistorySync.newBuilder()
                .setSyncType(History.HistorySync.HistorySyncType.INITIAL_BOOTSTRAP)
                .setNctSalt(com.google.protobuf.ByteString.copyFrom(nctSalt));
        ownPushName.ifPresent(name -> first.addPushnames(History.Pushname.newBuilder().setId(ownJid)
                .setPushname(name)));
        for (String chat : byChat.keySet()) {
            Person person = people.apply(chat);
            person.pushName().ifPresent(name -> first.addPushnames(History.Pushname.newBuilder().setId(chat)
                    .setPushname(name)));
            person.lid().ifPresent(lid -> first.addPhoneNumberToLidMappings(
                    History.PhoneNumberToLidMapping.newBuilder().setPnJid(chat).setLidJid(lid)));
        }
        List<byte[]> out = new ArrayList<>();
        History.HistorySync.Builder chunk = first;
        int inChunk = 0;
        int order = 0;
        for (var chat : byChat.entrySet()) {
            List<Entry> messages = chat.getValue();
            Person person = people.apply(chat.getKey());
            int from = messages.size();
            while (from > 0) {
                if (inChunk >= perChunk) {
                    out.add(deflate(chunk.setChunkOrder(order++).build().toByteArray()));
                    chunk = History.HistorySync.newBuilder()
                            .setSyncType(History.HistorySync.HistorySyncType.RECENT);
                    inChunk = 0;
                }
                int take = Math.min(from, perChunk - inChunk);
                var conversation = History.Conversation.newBuilder().setId(chat.getKey());
                person.lid().ifPresent(lid -> conversation.setPnJid(chat.getKey()).setLidJid(lid));
                person.pushName().ifPresent(conversation::setName);
                // newest first, as a phone sends them
                for (int i = from - 1; i >= from - take; i--) {
                    Entry entry = messages.get(i);
                    conversation.addMessages(History.HistorySyncMsg.newBuilder().setMessage(
                            History.WebMessageInfo.newBuilder()
                                    .setKey(History.MessageKey.newBuilder().setRemoteJid(entry.chat())
                                            .setFromMe(entry.fromMe()).setId(entry.id()))
                                    .setMessage(E2e.Message.newBuilder().setConversation(entry.text()))
                                    .setMessageTimestamp(entry.at().getEpochSecond())
                                    .setStatus(entry.fromMe() ? History.WebMessageInfo.Status.DELIVERY_ACK
                                            : History.WebMessageInfo.Status.READ)
                                    .setPushName(entry.fromMe() ? ownPushName.orElse("")
                                            : person.pushName().orElse(""))));
                }
                chunk.addConversations(conversation);
                inChunk += take;
                from -= take;
            }
        }
        out.add(deflate(chunk.setChunkOrder(order).build().toByteArray()));
        return out;
    }

    static byte[] deflate(byte[] data) {
        var deflater = new Deflater();
        try {
            deflater.setInput(data);
            deflater.finish();
            var out = new ByteArrayOutputStream();
            byte[] buffer = new byte[8192];
            while (!deflater.finished()) {
                out.write(buffer, 0, deflater.deflate(buffer));
            }
            return out.toByteArray();
        } finally {
            deflater.end();
        }
    }
}
