package ponte.application.port.in;

import java.util.List;
import java.util.Optional;
import java.util.UUID;
import ponte.domain.auth.Principal;
import ponte.domain.proxy.Proxy;
import ponte.domain.proxy.ProxyInput;

/** The proxy every instance of a tenant uses unless it has an override; account tokens only. */
public interface TenantProxyUseCase {
    TenantProxies get(Principal caller);

    /** Stores the tenant proxy and reconnects, in the background, the online instances that follow it. */
    TenantProxyChange set(Principal caller, ProxyInput input);

    TenantProxyChange clear(Principal caller);

    record TenantProxies(Optional<Proxy> tenant, List<InstanceOverride> overrides) {}

    record InstanceOverride(UUID instanceId, String name, Proxy proxy) {}

    /** {@code scheduled}: how many online instances were handed to the background to reconnect. */
    record TenantProxyChange(Optional<Proxy> proxy, int scheduled) {}
}
