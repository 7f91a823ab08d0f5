package ponte.adapters.whatsapp.sandbox.store;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** The sandbox's virtual phones, the devices each has linked, and the keys those devices uploaded. */
public interface SandboxPhoneStore {

    /** False when the number already has a phone. */
    boolean createPhone(VirtualPhone phone, Instant now);

    Optional<VirtualPhone> phone(String phone);

    /** The phone whose account has this LID user (the digits before {@code @lid}), if any. */
    Optional<VirtualPhone> phoneByLid(String lid);

    List<VirtualPhone> phones();

    /** The next device slot of the phone; slots are never reused, as WhatsApp's are not. */
    int allocateDevice(String phone);

    void link(SandboxDevice device, String platform, int keyIndex, Instant now);

    List<LinkedDevice> devices(String phone);

    /** True when the device was on the phone's list. */
    boolean unlink(String phone, int device);

    void saveKeys(String phone, int device, UploadedKeys keys);

    int preKeyCount(String phone, int device);

    /** The device's key bundle, consuming its lowest one-time prekey; empty when it never uploaded keys. */
    Optional<KeyBundle> takeBundle(String phone, int device);
}
