package ponte.adapters.whatsapp.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * Not a test (surefire never picks it up by name): the messaging benchmark of docs/benchmarks.md. Our engine and
 * the sandbox in this JVM, Baileys in the oracle's Node process, one embedded PostgreSQL for both stores; 1:1 sends
 * to one and to several phones, from one and from several instances, the same with Baileys, and a flood of phone
 * messages to our instance. Every run is checked (each message decrypted, once, in order per chat) before its
 * figures are printed.
 * {@code mvn -B -o -pl adapters-whatsapp -am verify -DskipITs -Dsurefire.failIfNoSpecifiedTests=false
 * -Dtest=MessagingBenchmark -Dbench.messages=1000}
 */
class MessagingBenchmark {
    /** Messages per chat (per peer in the receive runs). */
    private static final int MESSAGES = Integer.getInteger("bench.messages", 1000);
    /** Recipient phones in the one-instance, several-phones run. */
    private static final int PHONES = Integer.getInteger("bench.phones", 5);
    /** Instances (each linked to a phone of its own, each writing to one phone) in the several-instances run. */
    private static final int INSTANCES = Integer.getInteger("bench.instances", 4);
    /** Phones flooding our instance at once in the receive run. */
    private static final int PEERS = Integer.getInteger("bench.peers", 4);
    /** Members of the group run's group: our instance's account and this many less one sandbox phones. */
    private static final int MEMBERS = Integer.getInteger("bench.members", 50);
    /** The group run's pace in messages per second; 0 (the default): each send as soon as the last was acked. */
    private static final double GROUP_RATE = Double.parseDouble(System.getProperty("bench.groupRate", "0"));
    /**
     * Which runs to measure, comma-separated, all by default: {@code send} (1 instance to 1 phone), {@code baileys},
     * {@code fanout} (1 instance to {@code bench.phones} phones), {@code instances}, {@code receive} (1 phone floods
     * our instance), {@code flood} ({@code bench.peers} phones at once), {@code group} (1 instance to a group of
     * {@code bench.members}; only when named, its 49 phones cost a while to create). To profile one path alone.
     */
    private static final java.util.Set<String> RUNS = java.util.Set.of(
            System.getProperty("bench.runs", "send,baileys,fanout,instances,receive,flood").split(","));
    private static final boolean BAILEYS = RUNS.contains("baileys");

    @Test
    void messaging() throws Exception {
        System.out.println(MessagingLoad.describeMachine());
        try (var rig = new MessagingRig()) {
            List<MessagingLoad.Chat> ours = new ArrayList<>();
            for (int i = 0; i < INSTANCES; i++) {
                String phone = rig.phone("55118000" + String.format("%04d", i), "Ponte " + i);
                UUID instance = rig.linkInstance(phone);
                ours.add(new MessagingLoad.Chat(instance, phone, rig.phone("55118100" + String.format("%04d", i),
                        "Recipient " + i)));
            }
            var first = ours.getFirst();
            List<MessagingLoad.Chat> fanOut = new ArrayList<>();
            for (int i = 0; i < PHONES; i++) {
                fanOut.add(new MessagingLoad.Chat(first.instance(), first.from(),
                        rig.phone("55118200" + String.format("%04d", i), "Fan " + i)));
            }
            List<String> peers = new ArrayList<>();
            for (int i = 0; i < PEERS; i++) {
                peers.add(rig.phone("55118300" + String.format("%04d", i), "Peer " + i));
            }
            String baileysSession = null;
            String baileysPhone = rig.phone("5511840000", "Baileys");
            String baileysRecipient = rig.phone("5511840001", "Baileys recipient");
            if (BAILEYS) {
                baileysSession = rig.linkBaileys(baileysPhone);
            }
            System.out.printf("linked %d instance(s)%s; load average now %.2f%n", INSTANCES,
                    BAILEYS ? " and one Baileys client" : "", loadAverage());

            // warm-up: sessions set up (pkmsg), JIT; not reported
            MessagingLoad.sendOurs(rig, "warm-up", ours, 30);
            MessagingLoad.sendOurs(rig, "warm-up fan-out", fanOut, 5);
            MessagingLoad.floodOurs(rig, "warm-up flood", first.from(), peers, 10);
            if (BAILEYS) {
                MessagingLoad.sendBaileys(rig, "warm-up Baileys", baileysSession, baileysPhone, baileysRecipient, 30);
            }

            if (RUNS.contains("send")) {
                report(rig, () -> MessagingLoad.sendOurs(rig, "ours, 1 instance -> 1 phone", List.of(first),
                        MESSAGES));
            }
            if (BAILEYS) {
                String session = baileysSession;
                report(rig, () -> MessagingLoad.sendBaileys(rig, "Baileys, 1 client -> 1 phone", session,
                        baileysPhone, baileysRecipient, MESSAGES));
            }
            if (RUNS.contains("fanout")) {
                report(rig, () -> MessagingLoad.sendOurs(rig, "ours, 1 instance -> " + PHONES + " phones", fanOut,
                        MESSAGES / PHONES));
            }
            if (RUNS.contains("instances")) {
                report(rig, () -> MessagingLoad.sendOurs(rig, "ours, " + INSTANCES + " instances -> 1 phone each",
                        ours, MESSAGES));
            }
            if (RUNS.contains("receive")) {
                report(rig, () -> MessagingLoad.floodOurs(rig, "receive: 1 phone -> our instance", first.from(),
                        peers.subList(0, 1), MESSAGES));
            }
            if (RUNS.contains("group")) {
                group(rig, first);
            }
            if (RUNS.contains("flood")) {
                report(rig, () -> MessagingLoad.floodOurs(rig, "receive: " + PEERS + " phones -> our instance",
                        first.from(), peers, MESSAGES));
            }
        }
    }

    /**
     * One phone creates a group of {@code MEMBERS - 1} sandbox phones and our instance's account; our instance
     * sends one text (its first in the group: the sender key distributed to every member device, reported apart),
     * then {@code MESSAGES} texts, each awaited for the server's ack.
     */
    private static void group(MessagingRig rig, MessagingLoad.Chat ours) throws Exception {
        List<String> members = new ArrayList<>();
        for (int i = 0; i < MEMBERS - 1; i++) {
            members.add(rig.phone("55118500" + String.format("%04d", i), "Member " + i));
        }
        List<String> invited = new ArrayList<>(members.subList(1, members.size()));
        invited.add(ours.from());
        String group = rig.sandbox().phones().createGroup(members.getFirst(), "Benchmark", invited);
        System.out.printf("group %s: %d phones and our instance; load average now %.2f%n", group, members.size(),
                loadAverage());
        report(rig, () -> MessagingLoad.sendGroup(rig, "ours, first message to a group of " + MEMBERS
                + " (sender key to every member device)", ours.instance(), ours.from(), group, members, 1, 0));
        report(rig, () -> MessagingLoad.sendGroup(rig, "ours, 1 instance -> group of " + MEMBERS
                + (GROUP_RATE > 0 ? " at " + GROUP_RATE + " msg/s" : "") + " (latency to the last member's decrypt)",
                ours.instance(), ours.from(), group, members, MESSAGES, GROUP_RATE));
    }

    private interface Run {
        MessagingLoad.Result run() throws Exception;
    }

    private static void report(MessagingRig rig, Run run) throws Exception {
        double load = loadAverage();
        var before = rig.cpu();
        var started = java.time.Instant.now();
        var result = run.run();
        var cpu = rig.cpu().minus(before);
        // the window, to cut a flight recording of the whole run down to this part
        System.out.printf("%s%n  %s; load average %.2f -> %.2f; from %s to %s%n", result, cpu, load, loadAverage(),
                started, java.time.Instant.now());
    }

    private static double loadAverage() {
        return MessagingLoad.loadAverage();
    }
}
