package ponte.adapters.whatsapp.store.sql;

import java.util.OptionalLong;
import java.util.UUID;
import java.util.function.Function;
import org.jdbi.v3.core.Handle;
import ponte.adapters.whatsapp.store.StaleEpochException;

/**
 * Checks, inside a write's transaction, that this node still owns the device (V9 {@code device_fence}): the epoch of
 * the lease it holds for the device's instance is raised into the fence row, which fails when another node wrote
 * with a higher epoch since ({@link StaleEpochException}, and the caller's transaction rolls back). The row stays
 * locked until the write commits, so writes of an old and a new owner never interleave. Without an epoch source
 * (one process, tests of the wire client alone) nothing is checked.
 */
final class DeviceFence {

    static final DeviceFence NONE = new DeviceFence(null);

    /** The epoch of this node's lease on an instance (device id = instance id), empty when it holds none. */
    private final Function<UUID, OptionalLong> epochs;

    DeviceFence(Function<UUID, OptionalLong> epochs) {
        this.epochs = epochs;
    }

    void check(Handle handle, UUID deviceId) {
        if (epochs == null) {
            return;
        }
        OptionalLong mine = epochs.apply(deviceId);
        if (mine.isEmpty()) {
            throw new StaleEpochException(deviceId, "this node holds no lease for its instance");
        }
        boolean kept = handle.createQuery("""
                        insert into whatsapp_store.device_fence (device_id, epoch) values (:id, :epoch)
                        on conflict (device_id) do update set epoch = excluded.epoch
                            where whatsapp_store.device_fence.epoch <= excluded.epoch
                        returning epoch""")
                .bind("id", deviceId)
                .bind("epoch", mine.getAsLong())
                .mapTo(Long.class)
                .findOne()
                .isPresent();
        if (!kept) {
            throw new StaleEpochException(deviceId, "its lease epoch " + mine.getAsLong()
                    + " is stale (another node owns the instance now)");
        }
    }
}
