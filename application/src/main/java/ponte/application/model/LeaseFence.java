package ponte.application.model;

import java.util.UUID;

/**
 * A lease as its holder knows it: the instance, the node holding it and the fencing epoch it was taken with. A write
 * only the owner may do carries it, and the store refuses it when the lease has since moved (another epoch or node)
 * or expired.
 */
public record LeaseFence(UUID instanceId, UUID node, long epoch) {}
