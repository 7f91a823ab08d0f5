package ponte.adapters.http.routes;

import ponte.adapters.http.core.Access;
import ponte.adapters.http.core.Authenticator;
import ponte.adapters.http.core.Bodies;
import ponte.adapters.http.core.Routes;
import ponte.adapters.http.dto.CallDtos;
import ponte.application.port.in.CallsUseCase;
import ponte.application.port.in.PresenceUseCase;

/**
 * Calls and presence (API.md "Calls", "Chats, contacts, store"): rejecting a call the instance is being offered,
 * and sending our presence and chat states. Both need the instance online (409 NOT_CONNECTED otherwise).
 */
public final class CallRoutes {
    private CallRoutes() {}

    public static void register(Routes routes, CallsUseCase calls, PresenceUseCase presence, Bodies bodies) {
        routes.post("/v1/instances/{id}/calls/{call_id}/reject").access(Access.ACCOUNT_OR_INSTANCE).tag("Calls")
                .summary("Reject a call the instance is being offered")
                .description("Sends the reject to the caller and stores a `call.update` event of type `rejected`. "
                        + "`{call_id}` is the `call_id` of the `offer` event. 404 for a call the instance was not "
                        + "offered (calls are remembered in memory while the session runs); 409 `CONFLICT` for a "
                        + "call no longer ringing (accepted, rejected or ended); 409 `NOT_CONNECTED` when the "
                        + "instance is not online.")
                .returns(200, CallDtos.Rejected.class).errors(404, 409)
                .handle(ctx -> ctx.json(new CallDtos.Rejected(true, CallDtos.CallView.of(calls.reject(
                        Authenticator.principal(ctx), ctx.pathParam("id"), ctx.pathParam("call_id"))))));
        routes.post("/v1/instances/{id}/presence").access(Access.ACCOUNT_OR_INSTANCE).tag("Calls")
                .summary("Send our presence or a chat state")
                .description("Without `to`: `available` or `unavailable`, our own presence with the push name; it "
                        + "holds until the next connect or change of the `always_online` setting, which set it "
                        + "again. With `to`: `composing`, `recording` or `paused` is a chat state to that chat; "
                        + "`available` subscribes to that person's presence, which then shows in "
                        + "`GET /contacts/{jid}` (a chat state to a person subscribes too). 400 for another state, "
                        + "a chat state without `to` or `unavailable` with one, and for a `to` that is not on "
                        + "WhatsApp (checked with the server, as sends are); 409 `NOT_CONNECTED` when the "
                        + "instance is not online.")
                .body(CallDtos.SetPresence.class).returns(200, CallDtos.PresenceSent.class).errors(400, 404, 409)
                .handle(ctx -> {
                    var body = bodies.read(ctx, CallDtos.SetPresence.class);
                    presence.send(Authenticator.principal(ctx), ctx.pathParam("id"), body.to(), body.state());
                    ctx.json(new CallDtos.PresenceSent(true, body.to(), body.state()));
                });
    }
}
