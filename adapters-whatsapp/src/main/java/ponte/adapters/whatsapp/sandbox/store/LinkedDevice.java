package ponte.adapters.whatsapp.sandbox.store;

import java.time.Instant;

/** One entry of a virtual phone's device list: a companion it linked. */
public record LinkedDevice(String phone, int device, String jid, String lid, String platform, int keyIndex,
        Instant linkedAt) {
}
