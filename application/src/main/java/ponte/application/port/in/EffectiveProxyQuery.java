package ponte.application.port.in;

import java.util.UUID;
import ponte.domain.proxy.EffectiveProxy;

/** What the WhatsApp engine asks before it dials: the proxy to use, password opened. Never shown to people. */
public interface EffectiveProxyQuery {
    EffectiveProxy effectiveProxy(UUID tenantId, UUID instanceId);

    /** The same for an instance known by id alone; no proxy for an instance that no longer exists. */
    EffectiveProxy effectiveProxy(UUID instanceId);
}
