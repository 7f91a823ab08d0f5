package ponte.application.port.in;

import ponte.domain.auth.Principal;

/** Calls through the API (API.md "Calls"): turning down a call the instance is being offered. */
public interface CallsUseCase {

    /**
     * Rejects the call {@code callId} the instance is being offered: the reject goes to the caller and a
     * {@code call.update} {@code rejected} event is stored.
     *
     * @throws ponte.application.error.NotFoundException the instance was never offered this call (or has forgotten
     *                                                   it: calls are remembered in memory on the node running the
     *                                                   session); nothing was sent
     * @throws ponte.application.error.ConflictException the call no longer rings (accepted, rejected or ended)
     * @throws ponte.application.error.NotConnectedException the instance is not online
     */
    RejectedCall reject(Principal caller, String idOrName, String callId);

    /** The call that was rejected: its id, the caller's JID and whether it was a video call. */
    record RejectedCall(String callId, String from, boolean video) {}
}
