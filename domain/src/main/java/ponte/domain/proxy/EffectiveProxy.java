package ponte.domain.proxy;

import java.util.Objects;
import java.util.Optional;

/** The proxy an instance dials through, and whether it is its own override, its tenant's, or none. */
public record EffectiveProxy(ProxySource source, Optional<Proxy> proxy) {
    public static final EffectiveProxy NONE = new EffectiveProxy(ProxySource.NONE, Optional.empty());

    public EffectiveProxy {
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(proxy, "proxy");
        if ((source == ProxySource.NONE) != proxy.isEmpty()) {
            throw new IllegalArgumentException("exactly the source 'none' has no proxy");
        }
    }
}
