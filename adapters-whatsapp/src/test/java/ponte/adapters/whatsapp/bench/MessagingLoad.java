package ponte.adapters.whatsapp.bench;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import ponte.adapters.whatsapp.oracle.BaileysOracle;
import ponte.adapters.whatsapp.sandbox.PhoneInboxes;
import ponte.adapters.whatsapp.sandbox.ReceivedMessage;

/**
 * The messaging benchmark's runs, each checked for correctness before its figures count: every message arrives
 * decrypted with its text, once, and in the order sent within its chat. Times are in {@link PhoneInboxes#nowMicros()}.
 * <ul>
 *   <li>{@link #sendOurs}: our engine sends 1:1 texts, each chat one message after another (the next once the
 *   server acked the last, as the outgoing worker sends a chat), all chats at once; latency is from the send call
 *   to the recipient phone's decrypt.</li>
 *   <li>{@link #sendBaileys}: Baileys sends through the same sandbox, one {@code sendMessage} after another.</li>
 *   <li>{@link #floodOurs}: sandbox phones send to our instance's account flat out; latency is from the phone's
 *   send call to our engine's hand-over of the decrypted message (the point where the application stores it).</li>
 * </ul>
 */
final class MessagingLoad {
    /** How long the wait for the last arrivals goes on without any new one before the run counts them lost. */
    private static final long STALL_MICROS = 60_000_000;

    private MessagingLoad() {
    }

    /** One 1:1 chat: our instance, linked to phone {@code from}, writing to phone {@code to}. */
    record Chat(UUID instance, String from, String to) {}

    /** A run's figures and whatever went wrong (empty when every message arrived, once, in order, intact). */
    record Result(String scenario, int messages, double seconds, double sendSeconds, Stats latency, Stats ack,
                  List<String> problems) {
        double perSecond() {
            return messages / seconds;
        }

        /**
         * {@code seconds}: from the first send call to the last arrival (decrypt or hand-over); {@code sendSeconds}:
         * to the last send call's return (our engine: the server's ack; Baileys: the stanza written; a phone: its
         * message encrypted and routed), so {@code messages / sendSeconds} is the rate the sender got rid of them.
         */
        @Override
        public String toString() {
            return String.format("%s: %d messages in %.2f s = %.1f msg/s arrived (sent in %.2f s = %.1f msg/s);"
                    + " latency p50 %.1f ms, p99 %.1f ms, max %.1f ms%s%s", scenario, messages, seconds, perSecond(),
                    sendSeconds, messages / sendSeconds, latency.p50(), latency.p99(), latency.max(),
                    ack == null ? "" : String.format("; send call to server ack p50 %.1f ms, p99 %.1f ms",
                            ack.p50(), ack.p99()),
                    problems.isEmpty() ? "" : "; PROBLEMS: " + problems.subList(0, Math.min(5, problems.size())));
        }
    }

    /** Percentiles in milliseconds (nearest rank). */
    record Stats(double p50, double p99, double max) {
        static Stats of(List<Long> micros) {
            if (micros.isEmpty()) {
                return new Stats(Double.NaN, Double.NaN, Double.NaN);
            }
            long[] sorted = micros.stream().mapToLong(Long::longValue).sorted().toArray();
            return new Stats(rank(sorted, 0.50) / 1000.0, rank(sorted, 0.99) / 1000.0,
                    sorted[sorted.length - 1] / 1000.0);
        }

        private static long rank(long[] sorted, double p) {
            return sorted[Math.max(0, (int) Math.ceil(p * sorted.length) - 1)];
        }
    }

    /** One message: sent at {@code at}, the send call returned at {@code doneAt}. */
    private record Sent(String id, String text, long at, long doneAt) {}

    static Result sendOurs(MessagingRig rig, String scenario, List<Chat> chats, int perChat) throws Exception {
        Map<Chat, List<Sent>> sent = new ConcurrentHashMap<>();
        List<String> problems = new CopyOnWriteArrayList<>();
        long start = PhoneInboxes.nowMicros();
        try (var senders = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<?>> all = new ArrayList<>();
            for (int c = 0; c < chats.size(); c++) {
                Chat chat = chats.get(c);
                int chatNumber = c;
                all.add(senders.submit(() -> {
                    List<Sent> mine = new ArrayList<>();
                    for (int i = 0; i < perChat; i++) {
                        String text = scenario + " chat " + chatNumber + " message " + i;
                        String id = rig.newMessageId(chat.from());
                        long at = PhoneInboxes.nowMicros();
                        try {
                            rig.send(chat.instance(), chat.to(), text, id).get(60, TimeUnit.SECONDS);
                        } catch (Exception e) {
                            problems.add("send " + id + " failed: " + e);
                            continue;
                        }
                        mine.add(new Sent(id, text, at, PhoneInboxes.nowMicros()));
                    }
                    sent.put(chat, mine);
                    return null;
                }));
            }
            for (Future<?> future : all) {
                future.get();
            }
        }
        awaitArrivals(rig, sent.values().stream().flatMap(List::stream).map(Sent::id).toList());
        for (Chat chat : chats) {
            checkOrder(problems, "chat " + chat.from() + " -> " + chat.to(), sent.get(chat),
                    receivedFrom(rig, chat.to(), chat.from()));
        }
        return result(rig, scenario, start, sent.values().stream().flatMap(List::stream).toList(), problems, true);
    }

    /**
     * Our instance sends {@code count} texts to group {@code groupJid}, one after another (the next once the server
     * acked the last); latency is from the send call to the decrypt at the LAST of {@code members} (sandbox phones).
     * Every member must decrypt every message, once, in order. {@code perSecond} above 0 paces the send calls (the
     * i-th not before {@code i / perSecond} s from the start), else they go out as fast as the acks come back.
     */
    static Result sendGroup(MessagingRig rig, String scenario, UUID instance, String from, String groupJid,
                            List<String> members, int count, double perSecond) throws Exception {
        List<String> problems = new ArrayList<>();
        List<Sent> sent = new ArrayList<>();
        long start = PhoneInboxes.nowMicros();
        for (int i = 0; i < count; i++) {
            String text = scenario + " message " + i;
            String id = rig.newMessageId(from);
            if (perSecond > 0) {
                long due = start + Math.round(i * 1e6 / perSecond);
                long wait = due - PhoneInboxes.nowMicros();
                if (wait > 0) {
                    TimeUnit.MICROSECONDS.sleep(wait);
                }
            }
            long at = PhoneInboxes.nowMicros();
            try {
                rig.sendToGroup(instance, groupJid, text, id).get(120, TimeUnit.SECONDS);
            } catch (Exception e) {
                problems.add("send " + id + " failed: " + e);
                continue;
            }
            sent.add(new Sent(id, text, at, PhoneInboxes.nowMicros()));
        }
        awaitAll(sent.stream().map(Sent::id).toList(),
                id -> members.stream().allMatch(m -> rig.inboxes().arrivedAt(m, id).isPresent()));
        for (String member : members) {
            checkOrder(problems, "group " + groupJid + " at " + member, sent, rig.inboxes().received(member).stream()
                    .filter(m -> !m.sentByMe()).filter(m -> m.chat().equals(groupJid)).toList());
        }
        List<Long> latencies = new ArrayList<>();
        List<Long> acks = new ArrayList<>();
        long last = start;
        long lastSent = start;
        for (Sent one : sent) {
            lastSent = Math.max(lastSent, one.doneAt());
            acks.add(one.doneAt() - one.at());
            long lastMember = Long.MIN_VALUE;
            for (String member : members) {
                var at = rig.inboxes().arrivedAt(member, one.id());
                if (at.isEmpty()) {
                    lastMember = Long.MIN_VALUE;
                    break;
                }
                lastMember = Math.max(lastMember, at.getAsLong());
            }
            if (lastMember != Long.MIN_VALUE) {
                latencies.add(lastMember - one.at());
                last = Math.max(last, lastMember);
            }
        }
        return new Result(scenario, sent.size(), (last - start) / 1e6, (lastSent - start) / 1e6, Stats.of(latencies),
                Stats.of(acks), problems);
    }

    /**
     * Baileys (session {@code session}, linked to phone {@code from}) sends {@code count} texts to phone {@code to},
     * awaiting each {@code sendMessage} (it returns once the stanza is written, not when the server acks it).
     */
    static Result sendBaileys(MessagingRig rig, String scenario, String session, String from, String to, int count)
            throws Exception {
        List<String> problems = new ArrayList<>();
        long start = PhoneInboxes.nowMicros();
        JsonNode answer = MessagingRig.oracle().call(BaileysOracle.request("baileysSendMany").put("id", session)
                .put("to", to + "@s.whatsapp.net").put("count", count).put("prefix", scenario));
        List<Sent> sent = new ArrayList<>();
        for (JsonNode one : answer.path("sent")) {
            sent.add(new Sent(one.path("messageId").asText(), one.path("text").asText(),
                    Math.round(one.path("at").asDouble() * 1000), Math.round(one.path("returnedAt").asDouble() * 1000)));
        }
        if (sent.size() != count) {
            problems.add("Baileys reported " + sent.size() + " sends of " + count);
        }
        awaitArrivals(rig, sent.stream().map(Sent::id).toList());
        checkOrder(problems, "Baileys " + from + " -> " + to, sent, receivedFrom(rig, to, from));
        return result(rig, scenario, start, sent, problems, false);
    }

    /** Each of {@code peers} (sandbox phones) sends {@code perPeer} texts to {@code ours} as fast as it can. */
    static Result floodOurs(MessagingRig rig, String scenario, String ours, List<String> peers, int perPeer)
            throws Exception {
        Map<String, List<Sent>> sent = new ConcurrentHashMap<>();
        List<String> problems = new CopyOnWriteArrayList<>();
        long start = PhoneInboxes.nowMicros();
        try (var senders = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<?>> all = new ArrayList<>();
            for (String peer : peers) {
                all.add(senders.submit(() -> {
                    List<Sent> mine = new ArrayList<>();
                    for (int i = 0; i < perPeer; i++) {
                        String text = scenario + " from " + peer + " message " + i;
                        long at = PhoneInboxes.nowMicros();
                        String id = rig.sandbox().phones().sendText(peer, ours, text);
                        mine.add(new Sent(id, text, at, PhoneInboxes.nowMicros()));
                    }
                    sent.put(peer, mine);
                    return null;
                }));
            }
            for (Future<?> future : all) {
                future.get();
            }
        }
        List<String> ids = sent.values().stream().flatMap(List::stream).map(Sent::id).toList();
        awaitAll(ids, id -> rig.handedOverAt(id).isPresent());
        Map<String, String> texts = rig.handedOverTexts();
        List<Long> latencies = new ArrayList<>();
        long last = start;
        long lastSent = sent.values().stream().flatMap(List::stream).mapToLong(Sent::doneAt).max().orElse(start);
        for (Map.Entry<String, List<Sent>> entry : sent.entrySet()) {
            var runIds = entry.getValue().stream().map(Sent::id).toList();
            var handedOver = rig.handedOverFrom(entry.getKey() + "@s.whatsapp.net").stream()
                    .filter(runIds::contains).toList();
            if (!handedOver.equals(runIds)) {
                problems.add("from " + entry.getKey() + ": " + handedOver.size() + " of " + runIds.size()
                        + " handed over" + (handedOver.size() == runIds.size() ? ", out of order or twice" : ""));
            }
            for (Sent one : entry.getValue()) {
                var at = rig.handedOverAt(one.id());
                if (at.isEmpty()) {
                    continue;
                }
                if (!one.text().equals(texts.get(one.id()))) {
                    problems.add(one.id() + " arrived with another text");
                }
                latencies.add(at.get() - one.at());
                last = Math.max(last, at.get());
            }
        }
        return new Result(scenario, ids.size(), (last - start) / 1e6, (lastSent - start) / 1e6, Stats.of(latencies),
                null, problems);
    }

    private static void awaitArrivals(MessagingRig rig, List<String> ids) throws InterruptedException {
        awaitAll(ids, id -> rig.inboxes().arrivedAt(id).isPresent());
    }

    /** Waits while some id has not arrived and the last arrival is less than {@link #STALL_MICROS} ago. */
    static void awaitAll(List<String> ids, java.util.function.Predicate<String> arrived)
            throws InterruptedException {
        long progressAt = PhoneInboxes.nowMicros();
        long missing = ids.stream().filter(arrived.negate()).count();
        while (missing > 0 && PhoneInboxes.nowMicros() - progressAt < STALL_MICROS) {
            Thread.sleep(20);
            long now = ids.stream().filter(arrived.negate()).count();
            if (now < missing) {
                missing = now;
                progressAt = PhoneInboxes.nowMicros();
            }
        }
    }

    /** What phone {@code to} decrypted from account {@code from}, oldest first (not its own devices' copies). */
    private static List<ReceivedMessage> receivedFrom(MessagingRig rig, String to, String from) {
        return rig.inboxes().received(to).stream().filter(m -> !m.sentByMe())
                .filter(m -> m.from().equals(from + "@s.whatsapp.net")).toList();
    }

    private static void checkOrder(List<String> problems, String chat, List<Sent> sent, List<ReceivedMessage> got) {
        var ids = sent.stream().map(Sent::id).toList();
        var arrived = got.stream().filter(m -> ids.contains(m.id())).toList();
        if (!arrived.stream().map(ReceivedMessage::id).toList().equals(ids)) {
            problems.add(chat + ": " + arrived.size() + " of " + ids.size() + " decrypted"
                    + (arrived.size() == ids.size() ? ", out of order or twice" : ""));
        }
        Map<String, String> texts = new ConcurrentHashMap<>();
        arrived.forEach(m -> texts.put(m.id(), m.text()));
        for (Sent one : sent) {
            if (texts.containsKey(one.id()) && !texts.get(one.id()).equals(one.text())) {
                problems.add(chat + ": " + one.id() + " decrypted to another text");
            }
        }
    }

    private static Result result(MessagingRig rig, String scenario, long start, List<Sent> sent, List<String> problems,
                                 boolean acked) {
        List<Long> latencies = new ArrayList<>();
        List<Long> acks = new ArrayList<>();
        long last = start;
        long lastSent = start;
        for (Sent one : sent) {
            lastSent = Math.max(lastSent, one.doneAt());
            var at = rig.inboxes().arrivedAt(one.id());
            if (at.isPresent()) {
                latencies.add(at.getAsLong() - one.at());
                last = Math.max(last, at.getAsLong());
            }
            acks.add(one.doneAt() - one.at());
        }
        return new Result(scenario, sent.size(), (last - start) / 1e6, (lastSent - start) / 1e6, Stats.of(latencies),
                acked ? Stats.of(acks) : null, problems);
    }

    static String describeMachine() {
        return String.format("machine: %d cores, %s %s, JDK %s, max heap %d MB, load average %.2f",
                Runtime.getRuntime().availableProcessors(), System.getProperty("os.name"),
                System.getProperty("os.arch"), Runtime.version(), Runtime.getRuntime().maxMemory() >> 20,
                loadAverage());
    }

    /** The one-minute load average (/proc/loadavg; the module does not read java.management), NaN elsewhere. */
    static double loadAverage() {
        try {
            return Double.parseDouble(java.nio.file.Files.readString(java.nio.file.Path.of("/proc/loadavg"))
                    .split(" ")[0]);
        } catch (java.io.IOException | RuntimeException e) {
            return Double.NaN;
        }
    }
}
