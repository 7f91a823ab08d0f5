package ponte.adapters.whatsapp.sandbox.store;

/** A companion device the sandbox has paired: its phone number, device slot, LID user and keys. */
public record SandboxDevice(String phone, int device, String lid, byte[] noisePublic, byte[] identityPublic) {
}
