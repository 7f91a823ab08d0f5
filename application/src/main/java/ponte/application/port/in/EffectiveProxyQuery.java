package ponte.application.port.in;

import java.util.UUID;
import ponte.domain.proxy.EffectiveProxy;

/** What the WhatsApp engine asks before it dials: the proxy to use, password opened. Never shown to people. */
public interface EffectiveProxyQuery {
    EffectiveProxy effectiveProxy(UUID tenantId, UUID instanceId);
}
