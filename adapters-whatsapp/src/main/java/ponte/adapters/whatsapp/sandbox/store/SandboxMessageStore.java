package ponte.adapters.whatsapp.sandbox.store;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * The network's messaging state: per device, the stanzas it was sent and has not acknowledged (each under a key
 * unique for that device, in the order queued), and the Signal records of each virtual phone's primary device as
 * opaque values by kind and name.
 */
public interface SandboxMessageStore {

    /** Queues a stanza (its binary node form) for a device; a key already queued keeps its place and content. */
    void enqueue(String phone, int device, String key, byte[] stanza, Instant now);

    /** The stanzas still queued for the device, oldest first. */
    List<byte[]> queued(String phone, int device);

    /** Removes the queued stanzas of the device whose key starts with {@code keyPrefix}. */
    void acknowledge(String phone, int device, String keyPrefix);

    Optional<byte[]> phoneRecord(String phone, String kind, String name);

    void savePhoneRecord(String phone, String kind, String name, byte[] value);

    void removePhoneRecord(String phone, String kind, String name);
}
