package ponte.bootstrap;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.DriverManager;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Crash trials (issue 17 item 4): a phone texts the linked instance steadily and the API sends to two phones
 * steadily while the packaged gateway, and its embedded PostgreSQL with it, is SIGKILLed at a random moment and
 * restarted on the same data folder, once per trial. The simulated WhatsApp runs in a standalone sandbox process
 * that is never killed; its offline queue (the stanzas our device was sent and has not acknowledged, read from the
 * sandbox's own database right after each kill) is the oracle: at each kill, every message the phone sent is either
 * acknowledged by our device or still queued for it. At the end every one of them, acknowledged before a kill or
 * redelivered after one, is in the webhook receiver's log as exactly one event, nothing is left queued, and every
 * send the API accepted (202, retried with its idempotency key when the kill swallowed the answer) reached its
 * phone under the one id the API returned. Each trial is checked before the next kill (what was acknowledged or
 * queued at it came through), and everything again at the end.
 *
 * <p>{@code ponte.crash.trials} sets the number of kills (default 3, what {@code ./ponte test} runs);
 * {@code ponte.crash.seed} replays the random kill moments of a run (each run prints its seed).
 */
class CrashTrialsIT {
    private static final String ADMIN = "pta_crash-trials-admin-token-0123456";
    private static final String ANA = "5511987654801";
    private static final String BRUNO = "5511987654802";
    private static final String CARLA = "5511987654803";
    private static final Duration PATIENCE = Duration.ofSeconds(180);
    /** The latest moment of a kill after the restarted instance is connected (or the gateway healthy). */
    private static final int KILL_WITHIN_MS = 4000;

    @TempDir
    Path networkData;

    @TempDir
    Path gatewayData;

    @AfterEach
    void leaveNothingRunning() throws Exception {
        GatewayProcess.stopOrphanedPostgres(gatewayData);
        GatewayProcess.stopOrphanedPostgres(networkData);
    }

    @Test
    void noAcknowledgedMessageIsLostNoQueuedOneIsDroppedAndEveryAcceptedSendLeavesOnce() throws Exception {
        int trials = Integer.getInteger("ponte.crash.trials", 3);
        long seed = Long.getLong("ponte.crash.seed", System.nanoTime());
        var random = new Random(seed);
        System.out.printf("crash trials: %d, seed %d%n", trials, seed);
        try (var receiver = Receiver.start();
             var whatsapp = GatewayProcess.startSandbox(networkData, Map.of("PONTE_ADMIN_TOKEN", ADMIN))) {
            whatsapp.awaitHealthy(PATIENCE);
            var network = whatsapp.http();
            for (var phone : List.of(ANA, BRUNO, CARLA)) {
                assertThat(network.post("/v1/sandbox/phones", ADMIN, "{\"phone_number\":\"" + phone
                        + "\",\"push_name\":\"p" + phone.substring(10) + "\"}").status()).isEqualTo(201);
            }
            // the pace per chat well above the client's rate: at the default (1 a second) two chats take the
            // client's sends only just as fast as it makes them, so every outage grows a backlog and a long run ends
            // waiting for the queue, not checking the crash (trial 9 of the first long run)
            var env = Map.of("PONTE_ADMIN_TOKEN", ADMIN, "PONTE_WHATSAPP", "sandbox",
                    "PONTE_SANDBOX_URL", network.base(), "PONTE_WEBHOOK_POLL_MS", "100",
                    "PONTE_SEND_RATE_PER_CHAT", "10");

            var gateway = new AtomicReference<GatewayProcess>(GatewayProcess.start(gatewayData, env));
            var current = new AtomicReference<Http>();
            var stop = new AtomicBoolean();
            var phoneSent = new CopyOnWriteArrayList<String>();
            var accepted = new ConcurrentHashMap<String, String>(); // text -> id
            var failures = new CopyOnWriteArrayList<Throwable>();
            var answers = new ConcurrentHashMap<String, Integer>(); // what the API client met, by status or error
            Thread phoneStream = null;
            Thread apiStream = null;
            try {
                gateway.get().awaitHealthy(PATIENCE);
                current.set(gateway.get().http());
                var http = current.get();
                String token = http.post("/v1/tenants", ADMIN, "{\"name\":\"trials\"}").json().get("token").asText();
                String instanceId = http.post("/v1/instances", token, "{\"name\":\"trials\",\"webhook\":{\"url\":\""
                        + receiver.url("/hook") + "\",\"events\":[\"message.exchange\"]}}").json()
                        .at("/instance/id").asText();
                var raw = http.post("/v1/instances/" + instanceId + "/connect", token, null).json().at("/qr/raw")
                        .asText();
                assertThat(network.post("/v1/sandbox/phones/" + ANA + "/scan", ADMIN, "{\"qr\":\"" + raw + "\"}")
                        .status()).isEqualTo(200);
                awaitConnected(http, token, instanceId);
                int device = linkedDevice(network);

                // the phone is on the sandbox, which never dies: it sends whether the gateway is up or not
                phoneStream = Thread.ofVirtual().start(() -> {
                    for (int i = 0; !stop.get(); i++) {
                        var sent = network.post("/v1/sandbox/phones/" + BRUNO + "/messages", ADMIN,
                                "{\"to\":\"" + ANA + "\",\"text\":\"ping " + i + "\"}");
                        if (sent.status() != 200) {
                            failures.add(new AssertionError("the phone could not send: " + sent));
                            return;
                        }
                        phoneSent.add(sent.json().at("/message/id").asText());
                        Receiver.sleep(150);
                    }
                });
                // a client of the API: a send without an answer (the gateway died) is retried with its key
                apiStream = Thread.ofVirtual().start(() -> {
                    for (int i = 0; !stop.get(); i++) {
                        var text = "pedido " + i;
                        var body = "{\"to\":\"" + (i % 2 == 0 ? BRUNO : CARLA) + "\",\"text\":\"" + text
                                + "\",\"idempotency_key\":\"trial-send-" + i + "\"}";
                        while (true) {
                            try {
                                var send = current.get().post("/v1/instances/" + instanceId + "/messages/text",
                                        token, body);
                                answers.merge(Integer.toString(send.status()), 1, Integer::sum);
                                if (send.status() == 202 || send.status() == 200) {
                                    accepted.put(text, send.json().at("/message/id").asText());
                                    break;
                                }
                                if (send.status() != 503) {
                                    failures.add(new AssertionError("a send was refused: " + send));
                                    return;
                                }
                            } catch (java.io.UncheckedIOException deadOrRestarting) {
                                answers.merge("no answer", 1, Integer::sum);
                                // retried below with the same idempotency key
                            }
                            Receiver.sleep(200);
                        }
                        Receiver.sleep(400);
                    }
                });

                int acknowledgedAtKills = 0;
                int queuedAtKills = 0;
                for (int trial = 1; trial <= trials; trial++) {
                    // most kills hit a connected instance; every third one may come before it reconnects
                    if (trial % 3 != 0) {
                        awaitConnected(current.get(), token, instanceId);
                    }
                    Receiver.sleep(random.nextInt(KILL_WITHIN_MS));
                    gateway.get().kill();
                    GatewayProcess.killOrphanedPostgres(gatewayData);
                    // the oracle, in this order: what the phone had sent, then what is still queued for our device
                    var sentBefore = new HashSet<>(phoneSent);
                    var acceptedBefore = new HashMap<>(accepted);
                    var queued = queuedMessageIds(ANA, device);
                    var acknowledged = new HashSet<>(sentBefore);
                    acknowledged.removeAll(queued);
                    acknowledgedAtKills += acknowledged.size();
                    queuedAtKills += (int) queued.stream().filter(sentBefore::contains).count();

                    gateway.set(GatewayProcess.start(gatewayData, env));
                    gateway.get().awaitHealthy(PATIENCE);
                    current.set(gateway.get().http());
                    // each trial is checked before the next kill (what was acknowledged or queued at this one came
                    // through), but for one followed by an early kill: the next check, a superset, covers it
                    boolean earlyKillNext = (trial + 1) % 3 == 0 && trial < trials;
                    if (!earlyKillNext) {
                        verify(receiver, network, sentBefore, acceptedBefore);
                    }
                    assertThat(failures).as("trial " + trial).isEmpty();
                    System.out.printf("crash trial %d of %d %s: %d acknowledged and %d queued at the kill; in "
                                    + "all %d phone messages, %d sends accepted, the API client's answers %s%n",
                            trial, trials, earlyKillNext ? "checked with the next" : "passed", acknowledged.size(),
                            sentBefore.size() - acknowledged.size(), phoneSent.size(), accepted.size(), answers);
                }
                stop.set(true);
                phoneStream.join();
                apiStream.join();
                assertThat(failures).isEmpty();
                awaitConnected(current.get(), token, instanceId);

                // and at the end, everything: nothing left queued, nothing twice
                var expected = new HashSet<>(phoneSent);
                int copies = verify(receiver, network, expected, accepted);
                long deadline = System.nanoTime() + PATIENCE.toNanos();
                while (!queuedMessageIds(ANA, device).isEmpty() && System.nanoTime() < deadline) {
                    Receiver.sleep(200);
                }
                assertThat(queuedMessageIds(ANA, device)).as("left queued for our device").isEmpty();
                Receiver.sleep(2000);
                verify(receiver, network, expected, accepted);
                assertThat(receivedEvents(receiver).keySet()).as("webhook events of messages the phone never sent")
                        .isSubsetOf(expected);
                long posts = receiver.requests().stream().map(Receiver.Request::json)
                        .filter(e -> isReceived(e) && expected.contains(e.at("/data/message/id").asText())).count();
                System.out.printf("crash trials: %d kills (seed %d); the phone sent %d messages, %d acknowledged "
                                + "and %d queued at the kills (summed over kills), each in the webhook log as one "
                                + "event (%d posts); %d sends accepted, each at its phone under one id (%d copies "
                                + "received, the extra ones resent after a kill with the same id)%n",
                        trials, seed, expected.size(), acknowledgedAtKills, queuedAtKills, posts,
                        accepted.size(), copies);
                assertThat(gateway.get().stop()).isIn(0, 143);
            } finally {
                stop.set(true);
                if (phoneStream != null) {
                    phoneStream.join();
                }
                if (apiStream != null) {
                    apiStream.join();
                }
                gateway.get().close();
            }
        }
    }

    /**
     * Waits until every phone message in {@code phoneIds} has a {@code received} event in the receiver's log and
     * every accepted send in {@code sends} (text → id) is at its phone, then asserts: one event per message (a
     * repost of the same event is at-least-once delivery, a second event would be a duplicate message), each send
     * at its phone under the id the API returned and no other. Returns the copies the phones received.
     */
    private static int verify(Receiver receiver, Http network, Set<String> phoneIds, Map<String, String> sends)
            throws InterruptedException {
        long deadline = System.nanoTime() + PATIENCE.toNanos();
        var eventsById = receivedEvents(receiver);
        var idsByText = new HashMap<String, Set<String>>();
        int copies = 0;
        while (true) {
            eventsById = receivedEvents(receiver);
            idsByText.clear();
            copies = 0;
            for (var phone : List.of(BRUNO, CARLA)) {
                for (var message : received(network, phone)) {
                    idsByText.computeIfAbsent(message.get("text").asText(), t -> new HashSet<>())
                            .add(message.get("id").asText());
                    copies++;
                }
            }
            boolean all = eventsById.keySet().containsAll(phoneIds) && idsByText.keySet().containsAll(sends.keySet());
            if (all || System.nanoTime() > deadline) {
                break;
            }
            Receiver.sleep(200);
        }
        var missing = new HashSet<>(phoneIds);
        missing.removeAll(eventsById.keySet());
        assertThat(missing).as("phone messages with no webhook event").isEmpty();
        for (var id : phoneIds) {
            assertThat(eventsById.get(id)).as("the events of " + id).hasSize(1);
        }
        var unsent = new java.util.TreeSet<>(sends.keySet());
        unsent.removeAll(idsByText.keySet());
        assertThat(unsent).as("accepted sends not at their phone after " + PATIENCE.toSeconds() + " s").isEmpty();
        for (var send : sends.entrySet()) {
            assertThat(idsByText.get(send.getKey())).as("'" + send.getKey() + "' at its phone")
                    .containsExactly(send.getValue());
        }
        return copies;
    }

    /** Message id → the distinct event ids of its {@code received} events in the receiver's log. */
    private static HashMap<String, Set<String>> receivedEvents(Receiver receiver) {
        var byId = new HashMap<String, Set<String>>();
        receiver.requests().stream().map(Receiver.Request::json).filter(CrashTrialsIT::isReceived)
                .forEach(e -> byId.computeIfAbsent(e.at("/data/message/id").asText(), id -> new HashSet<>())
                        .add(e.get("event_id").asText()));
        return byId;
    }

    private static boolean isReceived(JsonNode event) {
        return event.get("event").asText().equals("message.exchange")
                && event.at("/data/type").asText().equals("received");
    }

    /** The sandbox's offline queue for our device, read from its own database: the message ids not acknowledged. */
    private Set<String> queuedMessageIds(String phone, int device) throws Exception {
        var pid = Files.readAllLines(networkData.resolve("postgres/postmaster.pid"));
        var url = "jdbc:postgresql://127.0.0.1:" + pid.get(3).strip() + "/postgres";
        var ids = new HashSet<String>();
        try (var connection = DriverManager.getConnection(url, "postgres", "postgres");
             var query = connection.prepareStatement("select stanza_key from whatsapp.sandbox_queue "
                     + "where phone = ? and device = ? and stanza_key like 'message|%'")) {
            query.setString(1, phone);
            query.setInt(2, device);
            try (var rows = query.executeQuery()) {
                while (rows.next()) {
                    ids.add(rows.getString(1).split("\\|")[1]);
                }
            }
        }
        return ids;
    }

    /** The device number the sandbox gave our linked instance on ANA's account. */
    private static int linkedDevice(Http network) {
        var devices = network.get("/v1/sandbox/phones/" + ANA + "/devices", ADMIN).json();
        var ids = new ArrayList<Integer>();
        // each jid is phone:device@s.whatsapp.net
        devices.findValues("jid").forEach(jid -> ids.add(Integer.parseInt(jid.asText().replaceAll(".*:(\\d+)@.*",
                "$1"))));
        assertThat(ids).as(devices.toString()).hasSize(1);
        return ids.getFirst();
    }

    private static List<JsonNode> received(Http network, String phone) {
        var inbox = network.get("/v1/sandbox/phones/" + phone + "/messages", ADMIN).json().get("messages");
        return StreamSupport.stream(inbox.spliterator(), false)
                .filter(m -> m.get("chat_jid").asText().startsWith(ANA)).toList();
    }

    private static void awaitConnected(Http http, String token, String instanceId) throws InterruptedException {
        long deadline = System.nanoTime() + PATIENCE.toNanos();
        String status = null;
        while (System.nanoTime() < deadline) {
            status = http.get("/v1/instances/" + instanceId, token).json().at("/instance/status").asText();
            if (status.equals("connected")) {
                return;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("the instance is " + status + ", not connected");
    }

}
