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
import ponte.application.port.in.SessionLifecycleUseCase.PairingCodeCommand;
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

/** Business scenarios of the session lifecycle over in-memory fakes of the store, the QR board and the engine. */
class SessionServiceTest {
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
    private final ProxyService proxies = new ProxyService(new InMemoryPorts.Proxies(instances),
            new InstanceAccess(instances), new InMemoryPorts.DirectTransactions(), new InMemoryPorts.ReversingCipher(),
            new InMemoryPorts.Sessions(), new InMemoryPorts.HeldBackground());
    private final SessionService sessions = new SessionService(instances, qrs, engine, proxies,
            (instance, event) -> events.add(event), direct, clock, Duration.ofSeconds(10),
            ponte.application.port.out.GatewayMetrics.NONE);
    private final UUID tenant = UUID.randomUUID();
    private final Principal account = new Principal(TokenKind.ACCOUNT, UUID.randomUUID(), tenant, null);
    private final Instance shop = add(Instance.create(UUID.randomUUID(), tenant, new InstanceName("shop"), Map.of(),
            NOW).instance());

    @Test
    void connectingAnUnpairedInstanceReturnsItsFirstQrCode() {
        engine.onStart = id -> {
            sessions.connecting(id);
            sessions.qrShown(id, "2@first", NOW.plusSeconds(60));
        };
        var connection = sessions.connect(account, "shop");
        assertThat(engine.started).containsExactly(shop.id());
        assertThat(connection.qr()).map(PairingQrStore.CurrentQr::qr).contains("2@first");
        assertThat(connection.instance().status()).isEqualTo(InstanceStatus.QR);
    }

    @Test
    void connectingAgainWhileAQrIsShowingReturnsItWithoutRestarting() {
        engine.onStart = id -> {
            sessions.connecting(id);
            sessions.qrShown(id, "2@first", NOW.plusSeconds(60));
        };
        sessions.connect(account, "shop");
        var again = sessions.connect(account, "shop");
        assertThat(engine.started).hasSize(1);
        assertThat(again.qr()).map(PairingQrStore.CurrentQr::qr).contains("2@first");
    }

    @Test
    void aConnectedInstanceIsNotStartedAgain() {
        pairAndConnect();
        var connection = sessions.connect(account, "shop");
        assertThat(connection.instance().status()).isEqualTo(InstanceStatus.CONNECTED);
        assertThat(connection.qr()).isEmpty();
        assertThat(engine.started).hasSize(1);
    }

    @Test
    void theEnginesReportsWalkTheStatusMachineAndEachBecomesAnEvent() {
        pairAndConnect();
        assertThat(events).extracting(SessionServiceTest::describe).containsExactly(
                "pending→connecting", "connecting→qr", "qr 2@first", "qr 2@second", "qr→connecting",
                "connecting→connected");
        var stored = instances.findLive(shop.id()).orElseThrow();
        assertThat(stored.account()).isEqualTo(PHONE);
        assertThat(qrs.current(shop.id())).isEmpty();
    }

    @Test
    void aRepeatedReportChangesNothingAndEmitsNothing() {
        sessions.connecting(shop.id());
        sessions.connecting(shop.id());
        sessions.disconnected(shop.id(), DisconnectReason.NETWORK);
        sessions.disconnected(shop.id(), DisconnectReason.NETWORK);
        assertThat(events).extracting(SessionServiceTest::describe)
                .containsExactly("pending→connecting", "connecting→disconnected(network)");
    }

    @Test
    void aStaleReportIsIgnoredRatherThanBreakingTheSession() {
        pairAndConnect();
        events.clear();
        sessions.qrShown(shop.id(), "2@late", NOW.plusSeconds(20));
        assertThat(events).isEmpty();
        assertThat(instances.findLive(shop.id()).orElseThrow().status()).isEqualTo(InstanceStatus.CONNECTED);
    }

    @Test
    void loggedOutForgetsTheAccountAndTheQrCodeOfAnEarlierPairing() {
        pairAndConnect();
        sessions.disconnected(shop.id(), DisconnectReason.LOGGED_OUT);
        var stored = instances.findLive(shop.id()).orElseThrow();
        assertThat(stored.status()).isEqualTo(InstanceStatus.DISCONNECTED);
        assertThat(stored.hasPaired()).isFalse();
    }

    @Test
    void thereIsNoQrToReadWhenConnectedOrWhenNoPairingIsUnderWay() {
        assertThatThrownBy(() -> sessions.currentQr(account, "shop")).isInstanceOf(ConflictException.class)
                .hasMessageContaining("connect");
        pairAndConnect();
        assertThatThrownBy(() -> sessions.currentQr(account, "shop")).isInstanceOf(ConflictException.class)
                .hasMessageContaining("connected");
    }

    @Test
    void anExpiredQrIsNotShown() {
        sessions.connecting(shop.id());
        sessions.qrShown(shop.id(), "2@old", NOW.minusSeconds(1));
        assertThatThrownBy(() -> sessions.currentQr(account, "shop")).isInstanceOf(ConflictException.class);
    }

    @Test
    void onlyALinkedInstanceCanBeLoggedOutOrRestarted() {
        assertThatThrownBy(() -> sessions.logout(account, "shop")).isInstanceOf(ConflictException.class);
        assertThatThrownBy(() -> sessions.restart(account, "shop")).isInstanceOf(ConflictException.class);
        pairAndConnect();
        sessions.logout(account, "shop");
        assertThat(engine.loggedOut).containsExactly(shop.id());
    }

    @Test
    void aPairingCodeNeedsAnInternationalNumberAndAnUnlinkedInstance() {
        assertThatThrownBy(() -> new PairingCodeCommand("12ab")).isInstanceOf(ValidationException.class);
        var code = sessions.pairingCode(account, "shop", new PairingCodeCommand("+5511999999999"));
        assertThat(code.code()).isEqualTo("ABCD-EFGH");
        assertThat(engine.pairingNumbers).containsExactly("5511999999999");
        pairAndConnect();
        assertThatThrownBy(() -> sessions.pairingCode(account, "shop", new PairingCodeCommand("5511999999999")))
                .isInstanceOf(ConflictException.class);
    }

    @Test
    void linkedDevicesAreForAccountTokensAndListOnlyLinkedInstances() {
        add(Instance.create(UUID.randomUUID(), tenant, new InstanceName("idle"), Map.of(), NOW).instance());
        pairAndConnect();
        assertThat(sessions.linkedDevices(account)).extracting(i -> i.name().value()).containsExactly("shop");
        var own = new Principal(TokenKind.INSTANCE, UUID.randomUUID(), tenant, shop.id());
        assertThatThrownBy(() -> sessions.linkedDevices(own)).isInstanceOf(ForbiddenException.class);
    }

    private Instance add(Instance instance) {
        instances.insert(instance);
        return instance;
    }

    private void pairAndConnect() {
        engine.onStart = id -> {
            sessions.connecting(id);
            sessions.qrShown(id, "2@first", NOW.plusSeconds(60));
        };
        sessions.connect(account, "shop");
        sessions.qrShown(shop.id(), "2@second", NOW.plusSeconds(80));
        sessions.connected(shop.id(), PHONE);
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
        public Optional<CurrentQr> awaitNew(UUID instanceId, Optional<CurrentQr> previous, Duration wait) {
            return current(instanceId).filter(qr -> previous.isEmpty() || !qr.equals(previous.get()));
        }

        @Override
        public void clear(UUID instanceId) {
            showing.remove(instanceId);
        }
    }
}
