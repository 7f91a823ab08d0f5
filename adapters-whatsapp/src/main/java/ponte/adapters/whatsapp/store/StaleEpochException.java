package ponte.adapters.whatsapp.store;

import java.util.UUID;

/**
 * A write to a device's stored state refused because this node no longer owns the device's instance: the lease epoch
 * it writes with is lower than one another node wrote with since, or it holds no lease for it at all (issue 14: every
 * write only the owner may do carries the epoch and is refused with a stale one). Nothing of the write was kept.
 */
public final class StaleEpochException extends RuntimeException {

    public StaleEpochException(UUID deviceId, String why) {
        super("device " + deviceId + ": write refused, " + why);
    }
}
