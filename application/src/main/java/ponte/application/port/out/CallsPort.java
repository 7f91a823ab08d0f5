package ponte.application.port.out;

import java.util.Optional;
import java.util.UUID;

/**
 * What the calls use cases ask of the WhatsApp engine that runs an instance's session on this node (protocol.md
 * §1.19). The engine remembers the calls its device was offered (in memory, the newest few hundred), so a reject
 * names a call it knows.
 */
public interface CallsPort {

    /**
     * Turns down a call the instance was offered, with {@code <call><reject call-id call-creator count="0"/></call>}
     * to the caller. Empty when the instance was never offered {@code callId} (or has forgotten it); otherwise the
     * call as it stood before: only a {@link KnownCall#ringing() ringing} one was rejected now, anything else was
     * left alone.
     *
     * @throws MessagingPort.Offline when the instance has no live session on this node: nothing was sent
     */
    Optional<KnownCall> reject(UUID instanceId, String callId);

    /**
     * A call the instance was offered: its id, the caller's JID (the call-creator, as the wire names it), whether it
     * is a video call, and whether it was still ringing (not yet accepted, rejected or ended).
     */
    record KnownCall(String callId, String from, boolean video, boolean ringing) {}
}
