package ponte.application.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import ponte.application.error.ForbiddenException;
import ponte.application.error.NotFoundException;
import ponte.application.port.in.InstanceProxyUseCase.Reconnect;
import ponte.application.port.out.WhatsAppSessionPort;
import ponte.domain.auth.Principal;
import ponte.domain.auth.TokenKind;
import ponte.domain.instance.Instance;
import ponte.domain.instance.InstanceName;
import ponte.domain.proxy.ProxyInput;
import ponte.domain.proxy.ProxySource;

/** The reconnect decisions of proxy changes, over in-memory ports and a session port whose state the test sets. */
class ProxyReconnectTest {
    private static final Instant NOW = Instant.parse("2026-11-21T10:00:00Z");
    private static final ProxyInput TENANT_PROXY = ProxyInput.ofUrl("socks5://team:tenant-pw@tenant.example:1080");
    private static final ProxyInput OWN_PROXY = ProxyInput.ofUrl("http://solo:own-pw@own.example:3128");

    private final UUID tenantId = UUID.randomUUID();
    private final Principal account = new Principal(TokenKind.ACCOUNT, UUID.randomUUID(), tenantId, null);
    private final InMemoryPorts.Instances instances = new InMemoryPorts.Instances();
    private final InMemoryPorts.Proxies proxies = new InMemoryPorts.Proxies(instances);
    private final InMemoryPorts.Sessions sessions = new InMemoryPorts.Sessions();
    private final InMemoryPorts.HeldBackground background = new InMemoryPorts.HeldBackground();
    private final ProxyService service = new ProxyService(proxies, new InstanceAccess(instances),
            new InMemoryPorts.DirectTransactions(), new InMemoryPorts.ReversingCipher(), sessions, background);

    @Test
    void aTenantChangeReconnectsOnlyOnlineInstancesWithoutOverrideInTheBackground() {
        var onlineFollower = instance("follower");
        var offlineFollower = instance("sleeper");
        var onlineWithOverride = instance("own");
        sessions.online.add(onlineFollower);
        sessions.online.add(onlineWithOverride);
        service.set(account, "own", OWN_PROXY);
        sessions.reconnected.clear();

        var change = service.set(account, TENANT_PROXY);

        assertThat(change.scheduled()).isEqualTo(1);
        assertThat(sessions.reconnected).as("nothing reconnects before the background runs").isEmpty();
        background.runAll();
        assertThat(sessions.reconnected).containsExactly(onlineFollower);
        assertThat(offlineFollower).isNotIn(sessions.reconnected);
    }

    @Test
    void aFollowerThatWentOfflineBeforeTheBackgroundRanIsLeftAlone() {
        var follower = instance("follower");
        sessions.online.add(follower);
        service.set(account, TENANT_PROXY);
        sessions.online.remove(follower);

        background.runAll();

        assertThat(sessions.reconnected).isEmpty();
    }

    @Test
    void clearingTheTenantProxyAlsoReconnectsItsOnlineFollowers() {
        var follower = instance("follower");
        service.set(account, TENANT_PROXY);
        sessions.online.add(follower);

        assertThat(service.clear(account).scheduled()).isEqualTo(1);
        background.runAll();
        assertThat(sessions.reconnected).containsExactly(follower);
    }

    @Test
    void anInstanceOverrideReconnectsAnOnlineInstanceAtOnce() {
        var id = instance("own");
        sessions.online.add(id);

        var state = service.set(account, "own", OWN_PROXY);

        assertThat(state.reconnect()).isEqualTo(Reconnect.CONNECTED);
        assertThat(sessions.reconnected).containsExactly(id);
        assertThat(background.queued).isEmpty();
    }

    @Test
    void aReconnectHandedToAnotherNodeIsReportedScheduled() {
        sessions.online.add(instance("own"));
        sessions.outcome = WhatsAppSessionPort.Reconnect.SCHEDULED;

        assertThat(service.set(account, "own", OWN_PROXY).reconnect()).isEqualTo(Reconnect.SCHEDULED);
    }

    @Test
    void anOfflineInstanceIsNotReconnectedAndReportedOffline() {
        instance("own");

        assertThat(service.set(account, "own", OWN_PROXY).reconnect()).isEqualTo(Reconnect.OFFLINE);
        assertThat(sessions.reconnected).isEmpty();
    }

    @Test
    void removingAnOverrideReconnectsAtOnceOntoTheTenantProxy() {
        var id = instance("own");
        service.set(account, TENANT_PROXY);
        service.set(account, "own", OWN_PROXY);
        sessions.online.add(id);

        var state = service.clear(account, "own");

        assertThat(state.effective().source()).isEqualTo(ProxySource.TENANT);
        assertThat(state.reconnect()).isEqualTo(Reconnect.CONNECTED);
        assertThat(sessions.reconnected).containsExactly(id);
    }

    @Test
    void fixingTheProxyOfASessionRetryingThroughAWrongOneDialsAtOnceWithTheNewPassword() {
        var id = instance("own");
        service.set(account, "own", ProxyInput.ofUrl("http://solo:wrong-pw@own.example:3128"));
        sessions.retrying.add(id);

        var state = service.set(account, "own", new ProxyInput(null, null, null, null, null, "right-pw"));

        assertThat(state.reconnect()).isEqualTo(Reconnect.CONNECTED);
        assertThat(sessions.reconnected).containsExactly(id);
        assertThat(sessions.reconnectProxies.getFirst().proxy().orElseThrow().password()).isEqualTo("right-pw");
    }

    @Test
    void removingTheOverrideOfARetryingSessionDialsAtOnceThroughTheNewEffectiveProxy() {
        var id = instance("own");
        service.set(account, TENANT_PROXY);
        service.set(account, "own", OWN_PROXY);
        sessions.retrying.add(id);
        sessions.outcome = WhatsAppSessionPort.Reconnect.SCHEDULED;

        var state = service.clear(account, "own");

        assertThat(state.reconnect()).isEqualTo(Reconnect.SCHEDULED);
        assertThat(sessions.reconnectProxies).singleElement()
                .satisfies(proxy -> assertThat(proxy.source()).isEqualTo(ProxySource.TENANT));
    }

    @Test
    void theEngineGetsTheEffectiveProxyWithThePasswordOpened() {
        var follower = instance("follower");
        var own = instance("own");
        service.set(account, TENANT_PROXY);
        service.set(account, "own", OWN_PROXY);

        assertThat(service.effectiveProxy(tenantId, follower).proxy().orElseThrow().password()).isEqualTo("tenant-pw");
        assertThat(service.effectiveProxy(tenantId, own).proxy().orElseThrow().password()).isEqualTo("own-pw");
    }

    @Test
    void theStoreNeverSeesThePasswordInClear() {
        instance("own");
        service.set(account, "own", OWN_PROXY);

        var sealed = proxies.overrides.values().iterator().next().sealedPassword();
        assertThat(new String(sealed, StandardCharsets.UTF_8)).isNotEqualTo("own-pw");
    }

    @Test
    void anInstanceTokenManagesItsOwnOverrideButNotTheTenantProxyNorASibling() {
        var own = instance("own");
        instance("sibling");
        var instanceToken = new Principal(TokenKind.INSTANCE, UUID.randomUUID(), tenantId, own);

        assertThat(service.set(instanceToken, "own", OWN_PROXY).override()).isPresent();
        assertThatThrownBy(() -> service.set(instanceToken, "sibling", OWN_PROXY))
                .isInstanceOf(NotFoundException.class);
        assertThatThrownBy(() -> service.set(instanceToken, TENANT_PROXY)).isInstanceOf(ForbiddenException.class);
    }

    private UUID instance(String name) {
        var instance = Instance.create(UUID.randomUUID(), tenantId, new InstanceName(name), Map.of(), NOW).instance();
        instances.insert(instance);
        return instance.id();
    }
}
