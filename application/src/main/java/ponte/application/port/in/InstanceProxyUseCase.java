package ponte.application.port.in;

import java.util.Locale;
import java.util.Optional;
import java.util.UUID;
import ponte.domain.auth.Principal;
import ponte.domain.proxy.EffectiveProxy;
import ponte.domain.proxy.Proxy;
import ponte.domain.proxy.ProxyInput;

/** One instance's proxy override; the instance's own token may manage it. */
public interface InstanceProxyUseCase {
    InstanceProxy get(Principal caller, String idOrName);

    /** Stores the override and reconnects the instance at once when it is online. */
    InstanceProxy set(Principal caller, String idOrName, ProxyInput input);

    InstanceProxy clear(Principal caller, String idOrName);

    /**
     * The override, what the instance dials through, and its session: reconnected here ({@code connected}), handed
     * to the node running it ({@code scheduled}), or not running ({@code offline}: it picks the proxy up when it
     * next connects).
     */
    record InstanceProxy(UUID instanceId, Optional<Proxy> override, EffectiveProxy effective, Reconnect reconnect) {}

    enum Reconnect {
        CONNECTED, SCHEDULED, OFFLINE;

        public String wireName() {
            return name().toLowerCase(Locale.ROOT);
        }
    }
}
