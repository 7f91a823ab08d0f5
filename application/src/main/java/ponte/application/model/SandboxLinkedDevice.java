package ponte.application.model;

import java.time.Instant;

/** One entry of a sandbox phone's "Linked devices" list: the device number, its JID and LID, when it linked. */
public record SandboxLinkedDevice(String phoneNumber, int device, String jid, String lid, String platform,
                                  Instant linkedAt) {}
