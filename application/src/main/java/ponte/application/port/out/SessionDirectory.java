package ponte.application.port.out;

import java.util.List;
import java.util.Optional;
import java.util.UUID;
import ponte.domain.instance.Instance;

/**
 * The instances across every tenant, as the sessions see them: the engine's reports come from no tenant's request,
 * and a starting or stopping node looks at every session. The only cross-tenant reads of instances; the node lease
 * (which node runs which session) will live here.
 */
public interface SessionDirectory {
    /** A live instance by id alone. */
    Optional<Instance> findLive(UUID id);

    /** Every tenant's live instances linked to a WhatsApp account. */
    List<Instance> listLinked();

    /** Every tenant's live instances whose status says a session is running: {@code qr}, {@code connecting} or
     *  {@code connected}. */
    List<Instance> listActive();
}
