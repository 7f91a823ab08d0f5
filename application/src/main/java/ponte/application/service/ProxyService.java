package ponte.application.service;

import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.Executor;
import ponte.application.error.ForbiddenException;
import ponte.application.port.in.InstanceProxyUseCase;
import ponte.application.port.in.TenantProxyUseCase;
import ponte.application.port.out.ProxyStore;
import ponte.application.port.out.ProxyStore.SealedProxy;
import ponte.application.port.out.SecretCipher;
import ponte.application.port.out.Transactions;
import ponte.application.port.out.WhatsAppSessionPort;
import ponte.domain.auth.Principal;
import ponte.domain.instance.Instance;
import ponte.domain.proxy.EffectiveProxy;
import ponte.domain.proxy.Proxy;
import ponte.domain.proxy.ProxyInput;
import ponte.domain.proxy.ProxyPolicy;

/**
 * Stores proxies (passwords sealed) and makes running sessions pick them up: a tenant change reconnects its online
 * followers in the background, an override reconnects its instance at once.
 */
final class ProxyService implements TenantProxyUseCase, InstanceProxyUseCase {
    private final ProxyStore proxies;
    private final InstanceAccess access;
    private final Transactions transactions;
    private final SecretCipher cipher;
    private final WhatsAppSessionPort sessions;
    private final Executor background;

    ProxyService(ProxyStore proxies, InstanceAccess access, Transactions transactions, SecretCipher cipher,
                 WhatsAppSessionPort sessions, Executor background) {
        this.proxies = proxies;
        this.access = access;
        this.transactions = transactions;
        this.cipher = cipher;
        this.sessions = sessions;
        this.background = background;
    }

    @Override
    public TenantProxies get(Principal caller) {
        requireAccount(caller);
        var overrides = proxies.overrides(caller.tenantId()).stream()
                .map(o -> new InstanceOverride(o.instanceId(), o.instanceName(), open(o.proxy())))
                .toList();
        return new TenantProxies(proxies.tenantProxy(caller.tenantId()).map(this::open), overrides);
    }

    @Override
    public TenantProxyChange set(Principal caller, ProxyInput input) {
        requireAccount(caller);
        var proxy = transactions.inTransaction(() -> {
            var merged = ProxyPolicy.read(input, proxies.tenantProxy(caller.tenantId()).map(this::open));
            proxies.saveTenantProxy(caller.tenantId(), seal(merged));
            return merged;
        });
        return new TenantProxyChange(Optional.of(proxy), reconnectFollowers(caller.tenantId()));
    }

    @Override
    public TenantProxyChange clear(Principal caller) {
        requireAccount(caller);
        transactions.run(() -> proxies.deleteTenantProxy(caller.tenantId()));
        return new TenantProxyChange(Optional.empty(), reconnectFollowers(caller.tenantId()));
    }

    @Override
    public InstanceProxy get(Principal caller, String idOrName) {
        var instance = access.resolve(caller, idOrName);
        return state(instance, sessions.isOnline(instance.id()) ? Reconnect.CONNECTED : Reconnect.OFFLINE);
    }

    @Override
    public InstanceProxy set(Principal caller, String idOrName, ProxyInput input) {
        var instance = transactions.inTransaction(() -> {
            var found = access.resolve(caller, idOrName);
            var current = proxies.instanceProxy(found.tenantId(), found.id()).map(this::open);
            proxies.saveInstanceProxy(found.tenantId(), found.id(), seal(ProxyPolicy.read(input, current)));
            return found;
        });
        return state(instance, reconnectNow(instance));
    }

    @Override
    public InstanceProxy clear(Principal caller, String idOrName) {
        var instance = transactions.inTransaction(() -> {
            var found = access.resolve(caller, idOrName);
            proxies.deleteInstanceProxy(found.tenantId(), found.id());
            return found;
        });
        return state(instance, reconnectNow(instance));
    }

    /** The proxy the instance's session dials through, password opened; never shown to people. */
    EffectiveProxy effectiveProxy(UUID tenantId, UUID instanceId) {
        return ProxyPolicy.effective(proxies.instanceProxy(tenantId, instanceId).map(this::open),
                proxies.tenantProxy(tenantId).map(this::open));
    }

    /** Counts the followers handed to the background; each one is checked again there, as it may have gone. */
    private int reconnectFollowers(UUID tenantId) {
        var overridden = proxies.overrides(tenantId).stream().map(ProxyStore.InstanceOverride::instanceId)
                .collect(java.util.stream.Collectors.toSet());
        int scheduled = 0;
        for (var instanceId : proxies.liveInstances(tenantId)) {
            if (ProxyPolicy.tenantChangeReconnects(sessions.isRunning(instanceId), overridden.contains(instanceId))) {
                scheduled++;
                background.execute(() -> {
                    if (sessions.isRunning(instanceId)) {
                        sessions.reconnect(instanceId, effectiveProxy(tenantId, instanceId));
                    }
                });
            }
        }
        return scheduled;
    }

    /** A session that runs here, online or retrying, dials again at once through the new effective proxy. */
    private Reconnect reconnectNow(Instance instance) {
        if (!sessions.isRunning(instance.id())) {
            return Reconnect.OFFLINE;
        }
        return switch (sessions.reconnect(instance.id(), effectiveProxy(instance.tenantId(), instance.id()))) {
            case CONNECTED -> Reconnect.CONNECTED;
            case SCHEDULED -> Reconnect.SCHEDULED;
        };
    }

    private InstanceProxy state(Instance instance, Reconnect reconnect) {
        var override = proxies.instanceProxy(instance.tenantId(), instance.id()).map(this::open);
        var effective = ProxyPolicy.effective(override, proxies.tenantProxy(instance.tenantId()).map(this::open));
        return new InstanceProxy(instance.id(), override, effective, reconnect);
    }

    private SealedProxy seal(Proxy proxy) {
        return new SealedProxy(proxy.protocol(), proxy.host(), proxy.port(), proxy.username(),
                proxy.hasPassword() ? cipher.seal(proxy.password()) : null);
    }

    private Proxy open(SealedProxy sealed) {
        return new Proxy(sealed.protocol(), sealed.host(), sealed.port(), sealed.username(),
                sealed.sealedPassword() == null ? null : cipher.openString(sealed.sealedPassword()));
    }

    private static void requireAccount(Principal caller) {
        if (!caller.isAccount()) {
            throw new ForbiddenException("the tenant proxy needs an account token");
        }
    }
}
