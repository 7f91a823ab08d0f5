package ponte.adapters.whatsapp.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;
import ponte.adapters.whatsapp.binary.Node;
import ponte.adapters.whatsapp.store.DeviceCredentials;

class ClientPartsTest {

    @Test
    void anIqResponseCompletesTheRequestWithTheSameId() throws Exception {
        IqTracker tracker = new IqTracker();
        CompletableFuture<Node> response = tracker.expect("A.1", Duration.ofSeconds(5));

        boolean matched = tracker.complete(Node.of("iq", Node.attrs("id", "A.1", "type", "result")));

        assertThat(matched).isTrue();
        assertThat(response.get().attributeOr("id", "")).isEqualTo("A.1");
    }

    @Test
    void anUnansweredIqTimesOut() {
        CompletableFuture<Node> response = new IqTracker().expect("A.2", Duration.ofMillis(50));

        assertThatThrownBy(() -> response.get(5, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class)
                .cause().isInstanceOf(TimeoutException.class);
    }

    @Test
    void allPendingIqsFailTogetherWhenTheConnectionDrops() {
        IqTracker tracker = new IqTracker();
        var first = tracker.expect("A.3", Duration.ofSeconds(5));
        var second = tracker.expect("A.4", Duration.ofSeconds(5));

        tracker.failAll(new IOException("the connection closed"));

        assertThat(first).isCompletedExceptionally();
        assertThat(second).isCompletedExceptionally();
        assertThat(tracker.waiting()).isZero();
    }

    @Test
    void streamError515ReconnectsAtOnce() {
        var verdict = ServerVerdicts.of(Node.of("stream:error", Node.attrs("code", "515"))).orElseThrow();

        assertThat(verdict.reconnect()).isTrue();
        assertThat(verdict.immediately()).isTrue();
    }

    @Test
    void replacedAndDeviceRemovedConflictsStopTheClient() {
        var replaced = ServerVerdicts.of(Node.withChildren("stream:error", Map.of(),
                List.of(Node.of("conflict", Node.attrs("type", "replaced"))))).orElseThrow();
        var removed = ServerVerdicts.of(Node.withChildren("stream:error", Node.attrs("code", "401"),
                List.of(Node.of("conflict", Node.attrs("type", "device_removed"))))).orElseThrow();

        assertThat(replaced.status().state()).isEqualTo(ConnectionState.REPLACED);
        assertThat(replaced.reconnect()).isFalse();
        assertThat(removed.status().state()).isEqualTo(ConnectionState.LOGGED_OUT);
        assertThat(removed.reconnect()).isFalse();
    }

    @Test
    void bansStopTheClientAndServerErrorsRetryLater() {
        assertThat(ServerVerdicts.failure(402).status().state()).isEqualTo(ConnectionState.TEMPORARILY_BANNED);
        assertThat(ServerVerdicts.failure(403).status().state()).isEqualTo(ConnectionState.BANNED);
        assertThat(ServerVerdicts.failure(402).reconnect()).isFalse();
        assertThat(ServerVerdicts.failure(503).reconnect()).isTrue();
        assertThat(ServerVerdicts.failure(503).immediately()).isFalse();
    }

    @Test
    void backoffGrowsWithFailuresUpToItsCap() {
        Backoff backoff = new Backoff(Duration.ofSeconds(2), Duration.ofSeconds(7));

        assertThat(backoff.delay(1)).isEqualTo(Duration.ofSeconds(2));
        assertThat(backoff.delay(3)).isEqualTo(Duration.ofSeconds(6));
        assertThat(backoff.delay(10)).isEqualTo(Duration.ofSeconds(7));
    }

    @Test
    void keepaliveDeclaresTheConnectionDeadWhenNoPingIsAnsweredWithinTheDeadline() throws Exception {
        var timers = Executors.newSingleThreadScheduledExecutor();
        CountDownLatch dead = new CountDownLatch(1);
        var keepalive = new Keepalive(new Timers(timers), new Keepalive.Settings(Duration.ofMillis(10), Duration.ofMillis(20),
                Duration.ofMillis(100)), () -> CompletableFuture.failedFuture(new TimeoutException()),
                dead::countDown, Clock.systemUTC());
        try {
            keepalive.start();

            assertThat(dead.await(5, TimeUnit.SECONDS)).isTrue();
        } finally {
            timers.shutdownNow();
        }
    }

    @Test
    void keepaliveStaysQuietWhilePingsAreAnswered() throws Exception {
        var timers = Executors.newSingleThreadScheduledExecutor();
        CountDownLatch dead = new CountDownLatch(1);
        CountDownLatch pinged = new CountDownLatch(10);
        var keepalive = new Keepalive(new Timers(timers), new Keepalive.Settings(Duration.ofMillis(5), Duration.ofMillis(10),
                Duration.ofMillis(20)), () -> {
                    pinged.countDown();
                    return CompletableFuture.completedFuture(Node.of("iq"));
                }, dead::countDown, Clock.systemUTC());
        try {
            keepalive.start();

            assertThat(pinged.await(5, TimeUnit.SECONDS)).isTrue();
            assertThat(dead.getCount()).isEqualTo(1);
        } finally {
            timers.shutdownNow();
        }
    }

    @Test
    void qrCodesShowEachRefInTurnAndSayOnceWhenTheLastHasExpired() throws Exception {
        var timers = Executors.newSingleThreadScheduledExecutor();
        var shown = new java.util.concurrent.LinkedBlockingQueue<String>();
        var lifetimes = new java.util.concurrent.CopyOnWriteArrayList<Duration>();
        CountDownLatch ranOut = new CountDownLatch(1);
        var runOuts = new java.util.concurrent.atomic.AtomicInteger();
        DeviceCredentials keys = DeviceCredentials.generate(new java.security.SecureRandom());
        var codes = new QrCodes(new Timers(timers), (text, lifetime) -> {
            shown.add(text);
            lifetimes.add(lifetime);
        }, () -> {
            runOuts.incrementAndGet();
            ranOut.countDown();
        }, Duration.ofMillis(60), Duration.ofMillis(20));
        try {
            codes.show(List.of("ref-a", "ref-b", "ref-c"), keys);

            assertThat(shown.poll(5, TimeUnit.SECONDS)).startsWith("https://wa.me/settings/linked_devices#ref-a,");
            assertThat(shown.poll(5, TimeUnit.SECONDS)).contains("#ref-b,");
            assertThat(shown.poll(5, TimeUnit.SECONDS)).contains("#ref-c,");
            assertThat(ranOut.await(5, TimeUnit.SECONDS)).isTrue();
            assertThat(shown.poll(200, TimeUnit.MILLISECONDS)).isNull();
            assertThat(runOuts).hasValue(1);
            assertThat(lifetimes).containsExactly(Duration.ofMillis(60), Duration.ofMillis(20), Duration.ofMillis(20));
            assertThat(codes.showingLast()).isFalse();
        } finally {
            timers.shutdownNow();
        }
    }

    @Test
    void stoppedQrCodesShowNothingMoreAndNeverRunOut() throws Exception {
        var timers = Executors.newSingleThreadScheduledExecutor();
        var shown = new java.util.concurrent.LinkedBlockingQueue<String>();
        var runOuts = new java.util.concurrent.atomic.AtomicInteger();
        var codes = new QrCodes(new Timers(timers), (text, lifetime) -> shown.add(text), runOuts::incrementAndGet,
                Duration.ofMillis(50), Duration.ofMillis(10));
        try {
            codes.show(List.of("ref-a", "ref-b"), DeviceCredentials.generate(new java.security.SecureRandom()));
            assertThat(shown.poll(5, TimeUnit.SECONDS)).contains("#ref-a,");
            codes.stop();

            assertThat(shown.poll(300, TimeUnit.MILLISECONDS)).isNull();
            assertThat(runOuts).hasValue(0);
        } finally {
            timers.shutdownNow();
        }
    }

    @Test
    void theHandlerTableKeysIqsByTheirFirstChildAndOtherNodesByTheirType() throws Exception {
        var handlers = new NodeHandlers();
        var seen = new java.util.concurrent.CopyOnWriteArrayList<String>();
        handlers.on("iq", "pair-device", node -> seen.add("pair-device"));
        handlers.on("iq", "urn:xmpp:ping", node -> seen.add("ping"));
        handlers.on("notification", "encrypt", node -> seen.add("encrypt"));
        handlers.on("notification", node -> seen.add("any notification"));

        for (Node node : List.of(
                Node.withChildren("iq", Node.attrs("type", "set", "xmlns", "md"), List.of(Node.of("pair-device"))),
                Node.of("iq", Node.attrs("type", "get", "xmlns", "urn:xmpp:ping")),
                Node.of("notification", Node.attrs("type", "encrypt")),
                Node.of("notification", Node.attrs("type", "devices")))) {
            handlers.find(node).orElseThrow().handle(node);
        }

        assertThat(seen).containsExactly("pair-device", "ping", "encrypt", "any notification");
        assertThat(handlers.find(Node.of("receipt", Node.attrs("type", "read")))).isEmpty();
        assertThatThrownBy(() -> handlers.on("iq", "pair-device", node -> { }))
                .isInstanceOf(IllegalStateException.class);
    }

    @Test
    void theInboxHandlesInArrivalOrderOneAtATimeAndAcksOnlyAfterTheHandlerReturned() throws Exception {
        var handlers = new NodeHandlers();
        var log = new java.util.concurrent.CopyOnWriteArrayList<String>();
        var busy = new java.util.concurrent.atomic.AtomicInteger();
        CountDownLatch done = new CountDownLatch(4);
        handlers.on("notification", node -> {
            assertThat(busy.incrementAndGet()).as("one handler at a time").isEqualTo(1);
            Thread.sleep(20); // a slow store: what arrives meanwhile waits its turn
            log.add("stored " + node.attributeOr("id", ""));
            busy.decrementAndGet();
        });
        var inbox = new Inbox(handlers, ack -> {
            log.add("ack " + ack.attributeOr("id", ""));
            done.countDown();
        });

        for (int i = 1; i <= 4; i++) {
            inbox.accept(Node.of("notification", Node.attrs("id", "n" + i, "from", "s.whatsapp.net", "type", "x")));
        }

        assertThat(done.await(5, TimeUnit.SECONDS)).isTrue();
        assertThat(log).containsExactly("stored n1", "ack n1", "stored n2", "ack n2", "stored n3", "ack n3",
                "stored n4", "ack n4");
    }

    @Test
    void aStanzaWhoseHandlerFailsIsNotAcknowledgedAndTheNextOneStillIs() throws Exception {
        var handlers = new NodeHandlers();
        handlers.on("call", node -> {
            if (node.attributeOr("id", "").equals("bad")) {
                throw new IllegalStateException("the store is down");
            }
        });
        var acks = new java.util.concurrent.LinkedBlockingQueue<Node>();
        var inbox = new Inbox(handlers, acks::add);

        inbox.accept(Node.of("call", Node.attrs("id", "bad", "from", "5511@s.whatsapp.net")));
        inbox.accept(Node.of("call", Node.attrs("id", "good", "from", "5511@s.whatsapp.net")));

        Node ack = acks.poll(5, TimeUnit.SECONDS);
        assertThat(ack).isNotNull();
        assertThat(ack.attributes()).containsEntry("id", "good").containsEntry("class", "call")
                .containsEntry("to", "5511@s.whatsapp.net");
        assertThat(acks.poll(200, TimeUnit.MILLISECONDS)).isNull();
    }

    @Test
    void theWebVersionParsesAndHashesLikeWhatsAppWeb() {
        WaVersion version = WaVersion.parse("2.3000.1045649367");

        assertThat(version).isEqualTo(WaVersion.DEFAULT);
        assertThat(java.util.HexFormat.of().formatHex(version.buildHash())).hasSize(32);
        assertThatThrownBy(() -> WaVersion.parse("2.3000")).isInstanceOf(IllegalArgumentException.class);
    }
}
