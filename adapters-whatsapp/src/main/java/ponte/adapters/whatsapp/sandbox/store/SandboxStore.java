package ponte.adapters.whatsapp.sandbox.store;

import java.time.Instant;
import java.util.Optional;
import java.util.function.Supplier;
import ponte.adapters.whatsapp.crypto.KeyPair;

/**
 * What the sandbox network remembers across restarts: its server keys, registrations and paired devices (which
 * {@link SandboxPhoneStore#link} adds to their phone's list).
 */
public interface SandboxStore {

    /** The root and static key pairs: created by {@code create} the first time, then always the same. */
    ServerKeys serverKeys(Supplier<ServerKeys> create, Instant now);

    void saveRegistration(byte[] noisePublic, byte[] identityPublic, int registrationId, Instant now);

    Optional<SandboxDevice> device(String phone, int device);

    /** The sandbox's accounts and their device lists, in the same database. */
    SandboxPhoneStore phones();

    /** What the network queues for devices and its phones' Signal state, in the same database. */
    SandboxMessageStore messages();

    /** The network's groups, in the same database. */
    SandboxGroupStore groups();

    /** The media host's index of its files, in the same database. */
    SandboxMediaStore media();

    /** The sandbox's certificate root and the static Noise key its chat server proves. */
    record ServerKeys(KeyPair root, KeyPair serverStatic) {
    }
}
