package ponte.adapters.http.dto;

import ponte.adapters.http.openapi.Doc;
import ponte.adapters.http.openapi.Example;
import ponte.adapters.http.openapi.Nullable;
import ponte.application.port.in.CallsUseCase;

/** Calls and presence through the API (API.md "Calls", "Chats, contacts, store"). */
public final class CallDtos {
    private CallDtos() {}

    @Doc("A call the instance turned down")
    public record CallView(@Doc("The call's id, as in the call.update events")
                           @Example("A1B2C3D4E5F60718293A4B5C6D7E8F90") String callId,
                           @Doc("The caller's JID") @Example("5511987650002@s.whatsapp.net") String from,
                           @Doc("Whether it was a video call") boolean video,
                           @Doc("Always rejected") @Example("rejected") String status) {
        public static CallView of(CallsUseCase.RejectedCall call) {
            return new CallView(call.callId(), call.from(), call.video(), "rejected");
        }
    }

    public record Rejected(boolean success, CallView call) {}

    public record SetPresence(
            @Doc("The chat for a chat state (a number, +E.164, a phone JID, an @lid JID or a group JID); omit "
                    + "for our own available/unavailable. With state available it subscribes to that person's "
                    + "presence") @Example("5511987650002") @Nullable String to,
            @Doc("available or unavailable (our own presence, no `to`); composing, recording or paused (a chat "
                    + "state to `to`)") @Example("composing") String state) {}

    public record PresenceSent(boolean success, @Nullable String to, String state) {}
}
