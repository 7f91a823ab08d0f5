package ponte.application.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import ponte.application.error.ConflictException;
import ponte.application.error.ForbiddenException;
import ponte.application.model.CurrentQr;
import ponte.application.port.in.SessionLifecycleUseCase.PairingCodeCommand;
import ponte.application.port.out.GatewayMetrics;
import ponte.application.port.out.GatewayMetrics.DeliveryOutcome;
import ponte.application.port.out.GatewayMetrics.PairingOutcome;
import ponte.application.port.out.PairingQrStore;
import ponte.application.port.out.SessionControlPort;
import ponte.application.port.out.Transactions;
import ponte.domain.auth.Principal;
import ponte.domain.auth.TokenKind;
import ponte.domain.instance.DisconnectReason;
import ponte.domain.instance.Instance;
import ponte.domain.instance.InstanceEvent;
import ponte.domain.instance.InstanceName;
import ponte.domain.instance.InstanceStatus;
import ponte.domain.instance.LinkedAccount;
import ponte.domain.validation.ValidationException;

/**
 * Business scenarios of the session lifecycle (the user's commands and the engine's reports) over in-memory fakes of
 * the store, the QR board and the engine.
 */
class SessionServicesTest {
    private static final Instant NOW = Instant.parse("2026-11-21T10:00:00Z");
    private static final LinkedAccount PHONE = new LinkedAccount("5511999999999", "111@lid", "Shop", "chrome");

    private final Clock clock = Clock.fixed(NOW, ZoneOffset.UTC);
    private final InMemoryPorts.Instances instances = new InMemoryPorts.Instances();
    private final MemoryQrs qrs = new MemoryQrs();
    private final List<InstanceEvent> events = new ArrayList<>();
    private final ScriptedEngine engine = new ScriptedEngine();
    private final Transactions direct = new Transactions() {
        @Override
        public <T> T inTransaction(Supplier<T> work) {
            return work.get();
        }

        @Override
        public void afterCommit(Runnable action) {
            action.run();
        }
    };
    private final InMemoryPorts.Sessions running = new InMemoryPorts.Sessions();
    private final ProxyService proxies = new ProxyService(new InMemoryPorts.Proxies(instances),
            new InstanceAccess(instances), new InMemoryPorts.DirectTransactions(), new InMemoryPorts.ReversingCipher(),
            running, new InMemoryPorts.HeldBackground());
    private final InMemoryPorts.Signals signals = new InMemoryPorts.Signals();
    private final List<PairingOutcome> pairings = new ArrayList<>();
    private final GatewayMetrics metrics = new GatewayMetrics() {
        @Override
        public void pairing(PairingOutcome outcome) {
            pairings.add(outcome);
        }

        @Override
        public void deliveryAttempt(DeliveryOutcome outcome, Duration latency) {}
    };
    private final SessionReportService reports = new SessionReportService(instances, instances, qrs,
            (instance, event) -> {
                events.add(event);
                signals.signal(instance.id());
            }, direct, clock, metrics);
    private final SessionCommandService commands = new SessionCommandService(instances, instances, qrs, signals,
            engine, proxies, clock, Duration.ofSeconds(10));
    private final UUID tenant = UUID.randomUUID();
    private final Principal account = new Principal(TokenKind.ACCOUNT, UUID.randomUUID(), tenant, null);
    private final Instance shop = add(Instance.create(UUID.randomUUID(), tenant, new InstanceName("shop"), Map.of(),
            NOW).instance());

    @Test
    void connectingAnUnpairedInstanceReturnsItsFirstQrCode() {
        engine.onStart = id -> {
            reports.connecting(id);
            reports.qrShown(id, "2@first", NOW.plusSeconds(60));
        };
        var connection = commands.connect(account, "shop");
        assertThat(engine.started).containsExactly(shop.id());
        assertThat(connection.qr()).map(CurrentQr::qr).contains("2@first");
        assertThat(connection.instance().status()).isEqualTo(InstanceStatus.QR);
    }

    @Test
    void connectingAgainWhileAQrIsShowingReturnsItWithoutRestarting() {
        engine.onStart = id -> {
            reports.connecting(id);
            reports.qrShown(id, "2@first", NOW.plusSeconds(60));
        };
        commands.connect(account, "shop");
        var again = commands.connect(account, "shop");
        assertThat(engine.started).hasSize(1);
        assertThat(again.qr()).map(CurrentQr::qr).contains("2@first");
    }

    @Test
    void aConnectedInstanceIsNotStartedAgain() {
        pairAndConnect();
        var connection = commands.connect(account, "shop");
        assertThat(connection.instance().status()).isEqualTo(InstanceStatus.CONNECTED);
        assertThat(connection.qr()).isEmpty();
        assertThat(engine.started).hasSize(1);
    }

    @Test
    void theEnginesReportsWalkTheStatusMachineAndEachBecomesAnEvent() {
        pairAndConnect();
        assertThat(events).extracting(SessionServicesTest::describe).containsExactly(
                "pending→connecting", "connecting→qr", "qr 2@first", "qr 2@second", "qr→connecting",
                "connecting→connected");
        var stored = instances.findLive(shop.id()).orElseThrow();
        assertThat(stored.account()).isEqualTo(PHONE);
        assertThat(qrs.current(shop.id())).isEmpty();
    }

    @Test
    void aRepeatedReportChangesNothingAndEmitsNothing() {
        reports.connecting(shop.id());
        reports.connecting(shop.id());
        reports.disconnected(shop.id(), DisconnectReason.NETWORK);
        reports.disconnected(shop.id(), DisconnectReason.NETWORK);
        assertThat(events).extracting(SessionServicesTest::describe)
                .containsExactly("pending→connecting", "connecting→disconnected(network)");
    }

    @Test
    void eachAcceptedPairingStepIsCountedAndDroppedReportsOrAReconnectAreNot() {
        pairAndConnect();
        reports.qrShown(shop.id(), "2@late", NOW.plusSeconds(20));
        reports.connected(shop.id(), PHONE);
        reports.disconnected(shop.id(), DisconnectReason.NETWORK);
        reports.connecting(shop.id());
        reports.connected(shop.id(), PHONE);
        assertThat(pairings).containsExactly(PairingOutcome.QR_SHOWN, PairingOutcome.QR_SHOWN,
                PairingOutcome.PAIRED);
    }

    @Test
    void aQrTimeoutAndARejectedPairingCodeAreCountedOnceEach() {
        reports.connecting(shop.id());
        reports.qrShown(shop.id(), "2@first", NOW.plusSeconds(60));
        reports.disconnected(shop.id(), DisconnectReason.QR_TIMEOUT);
        reports.disconnected(shop.id(), DisconnectReason.QR_TIMEOUT);
        reports.connecting(shop.id());
        reports.disconnected(shop.id(), DisconnectReason.PAIRING_CODE_REJECTED);
        reports.disconnected(shop.id(), DisconnectReason.PAIRING_CODE_REJECTED);
        assertThat(pairings).containsExactly(PairingOutcome.QR_SHOWN, PairingOutcome.QR_TIMEOUT,
                PairingOutcome.CODE_REJECTED);
    }

    @Test
    void aStaleReportIsIgnoredRatherThanBreakingTheSession() {
        pairAndConnect();
        events.clear();
        reports.qrShown(shop.id(), "2@late", NOW.plusSeconds(20));
        assertThat(events).isEmpty();
        assertThat(instances.findLive(shop.id()).orElseThrow().status()).isEqualTo(InstanceStatus.CONNECTED);
    }

    @Test
    void anAccountUpdateSetsThePushNameWithoutAStatusChangeOrEventAndAStaleOneIsDropped() {
        engine.onStart = id -> {
            reports.connecting(id);
            reports.connected(id, new LinkedAccount(PHONE.phoneNumber(), PHONE.lid(), null, PHONE.platform()));
        };
        commands.connect(account, "shop");
        int eventsBefore = events.size();

        reports.accountUpdated(shop.id(), new LinkedAccount(PHONE.phoneNumber(), "222@lid", "Ana", null));

        var stored = instances.findLive(shop.id()).orElseThrow();
        assertThat(stored.status()).isEqualTo(InstanceStatus.CONNECTED);
        assertThat(stored.account()).as("push name set, LID and platform kept")
                .isEqualTo(new LinkedAccount(PHONE.phoneNumber(), PHONE.lid(), "Ana", PHONE.platform()));
        assertThat(events).hasSize(eventsBefore);

        // about another phone number (a stale report): nothing changes
        reports.accountUpdated(shop.id(), new LinkedAccount("5511888888888", null, "Bia", null));
        assertThat(instances.findLive(shop.id()).orElseThrow().account().pushName()).isEqualTo("Ana");
    }

    @Test
    void anAccountUpdateBeforeAnyPairingIsDropped() {
        reports.accountUpdated(shop.id(), PHONE);
        assertThat(instances.findLive(shop.id()).orElseThrow().hasPaired()).isFalse();
        assertThat(events).isEmpty();
    }

    @Test
    void loggedOutForgetsTheAccountAndTheQrCodeOfAnEarlierPairing() {
        pairAndConnect();
        reports.disconnected(shop.id(), DisconnectReason.LOGGED_OUT);
        var stored = instances.findLive(shop.id()).orElseThrow();
        assertThat(stored.status()).isEqualTo(InstanceStatus.DISCONNECTED);
        assertThat(stored.hasPaired()).isFalse();
    }

    @Test
    void thereIsNoQrToReadWhenConnectedOrWhenNoPairingIsUnderWay() {
        assertThatThrownBy(() -> commands.currentQr(account, "shop")).isInstanceOf(ConflictException.class)
                .hasMessageContaining("connect");
        pairAndConnect();
        assertThatThrownBy(() -> commands.currentQr(account, "shop")).isInstanceOf(ConflictException.class)
                .hasMessageContaining("connected");
    }

    @Test
    void anExpiredQrIsNotShown() {
        reports.connecting(shop.id());
        reports.qrShown(shop.id(), "2@old", NOW.minusSeconds(1));
        assertThatThrownBy(() -> commands.currentQr(account, "shop")).isInstanceOf(ConflictException.class);
    }

    @Test
    void onlyALinkedInstanceCanBeLoggedOutOrRestarted() {
        assertThatThrownBy(() -> commands.logout(account, "shop")).isInstanceOf(ConflictException.class);
        assertThatThrownBy(() -> commands.restart(account, "shop")).isInstanceOf(ConflictException.class);
        pairAndConnect();
        commands.logout(account, "shop");
        assertThat(engine.loggedOut).containsExactly(shop.id());
    }

    @Test
    void aPairingCodeNeedsAnInternationalNumberAndAnUnlinkedInstance() {
        assertThatThrownBy(() -> new PairingCodeCommand("12ab")).isInstanceOf(ValidationException.class);
        var code = commands.pairingCode(account, "shop", new PairingCodeCommand("+5511999999999"));
        assertThat(code.code()).isEqualTo("ABCD-EFGH");
        assertThat(engine.pairingNumbers).containsExactly("5511999999999");
        pairAndConnect();
        assertThatThrownBy(() -> commands.pairingCode(account, "shop", new PairingCodeCommand("5511999999999")))
                .isInstanceOf(ConflictException.class);
    }

    @Test
    void linkedDevicesAreForAccountTokensAndListOnlyLinkedInstances() {
        add(Instance.create(UUID.randomUUID(), tenant, new InstanceName("idle"), Map.of(), NOW).instance());
        pairAndConnect();
        assertThat(commands.linkedDevices(account)).extracting(i -> i.name().value()).containsExactly("shop");
        var own = new Principal(TokenKind.INSTANCE, UUID.randomUUID(), tenant, shop.id());
        assertThatThrownBy(() -> commands.linkedDevices(own)).isInstanceOf(ForbiddenException.class);
    }

    @Test
    void connectOnADisconnectedLinkedInstanceStartsAFreshAttempt() {
        pairAndConnect();
        reports.disconnected(shop.id(), DisconnectReason.PROXY_ERROR);
        engine.started.clear();

        var connection = commands.connect(account, "shop");

        assertThat(engine.started).containsExactly(shop.id());
        assertThat(connection.qr()).isEmpty();
    }

    @Test
    void connectIsWokenByTheQrEventRatherThanPolling() {
        engine.onStart = id -> Thread.ofVirtual().start(() -> {
            sleep(300);
            reports.connecting(id);
            reports.qrShown(id, "2@late-first", NOW.plusSeconds(60));
        });
        long started = System.nanoTime();

        var connection = commands.connect(account, "shop");

        assertThat(connection.qr()).map(CurrentQr::qr).contains("2@late-first");
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(5));
    }

    @Test
    void aWatcherIsToldOfTheNextChangeAndOfNothingElse() throws InterruptedException {
        var seen = commands.current(account, "shop");
        assertThat(commands.next(account, "shop", seen, Duration.ofMillis(200)).sameAs(seen))
                .as("nothing changed: it waits the whole time, then says so").isTrue();
        Thread.ofVirtual().start(() -> {
            sleep(200);
            reports.connecting(shop.id());
        });

        var next = commands.next(account, "shop", seen, Duration.ofSeconds(10));

        assertThat(next.instance().status()).isEqualTo(InstanceStatus.CONNECTING);
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private Instance add(Instance instance) {
        instances.insert(instance);
        return instance;
    }

    private void pairAndConnect() {
        engine.onStart = id -> {
            reports.connecting(id);
            reports.qrShown(id, "2@first", NOW.plusSeconds(60));
        };
        commands.connect(account, "shop");
        reports.qrShown(shop.id(), "2@second", NOW.plusSeconds(80));
        reports.connected(shop.id(), PHONE);
    }

    private static String describe(InstanceEvent event) {
        return switch (event) {
            case InstanceEvent.StatusChanged c -> c.from().wireName() + "→" + c.to().wireName()
                    + (c.reason() == null ? "" : "(" + c.reason().wireName() + ")");
            case InstanceEvent.QrRotated q -> "qr " + q.qr();
            case InstanceEvent.Created c -> "created";
            case InstanceEvent.Deleted d -> "deleted";
        };
    }

    /** Reports what the engine was asked, and plays a scripted session when started. */
    private static final class ScriptedEngine implements SessionControlPort {
        final List<UUID> started = new ArrayList<>();
        final List<UUID> loggedOut = new ArrayList<>();
        final List<String> pairingNumbers = new ArrayList<>();
        java.util.function.Consumer<UUID> onStart = id -> { };

        @Override
        public void start(UUID instanceId, ponte.domain.proxy.EffectiveProxy proxy) {
            started.add(instanceId);
            onStart.accept(instanceId);
        }

        @Override
        public void stop(UUID instanceId) {
        }

        @Override
        public void logout(UUID instanceId, ponte.domain.proxy.EffectiveProxy proxy) {
            loggedOut.add(instanceId);
        }

        @Override
        public void release(UUID instanceId) {
        }

        @Override
        public void discard(UUID instanceId) {
        }

        @Override
        public PairingCode requestPairingCode(UUID instanceId, String phoneNumber, Duration wait,
                                              ponte.domain.proxy.EffectiveProxy proxy) {
            pairingNumbers.add(phoneNumber);
            return new PairingCode("ABCD-EFGH", NOW.plusSeconds(180));
        }
    }

    private static final class MemoryQrs implements PairingQrStore {
        private final Map<UUID, CurrentQr> showing = new HashMap<>();

        @Override
        public void show(UUID instanceId, String qr, Instant expiresAt) {
            showing.put(instanceId, new CurrentQr(qr, expiresAt));
        }

        @Override
        public Optional<CurrentQr> current(UUID instanceId) {
            return Optional.ofNullable(showing.get(instanceId));
        }

        @Override
        public void clear(UUID instanceId) {
            showing.remove(instanceId);
        }
    }
}
