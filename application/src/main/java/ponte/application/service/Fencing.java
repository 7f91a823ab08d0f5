package ponte.application.service;

import java.util.Optional;
import java.util.UUID;
import ponte.application.model.LeaseFence;

/** The fence a write only the owner may do carries, and what happens when the store refuses it. */
interface Fencing {
    /** The lease this node holds on the instance; empty when it holds none (then it must not write). */
    Optional<LeaseFence> fence(UUID instanceId);

    /** The store refused a write with this node's fence: the lease moved on, the session stops here. */
    void refused(UUID instanceId);
}
