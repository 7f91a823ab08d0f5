package ponte.adapters.http.routes;

import io.javalin.http.sse.SseClient;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import ponte.adapters.http.core.Access;
import ponte.adapters.http.core.Authenticator;
import ponte.adapters.http.core.Bodies;
import ponte.adapters.http.core.QrImages;
import ponte.adapters.http.core.Routes;
import ponte.adapters.http.core.ServerSentEvents;
import ponte.adapters.http.dto.SessionDtos;
import ponte.application.model.CurrentQr;
import ponte.application.port.in.SessionLifecycleUseCase;
import ponte.application.port.in.SessionLifecycleUseCase.Connection;
import ponte.application.port.in.SessionLifecycleUseCase.PairingCodeCommand;
import ponte.domain.instance.Instance;
import ponte.domain.instance.InstanceStatus;

/** Linking an instance to WhatsApp and managing its session. */
public final class SessionRoutes {
    /** A stream blocked waiting for a change still notices a closed client this often. */
    private static final Duration STREAM_CHECK = Duration.ofSeconds(15);
    private static final Duration STREAM_LIMIT = Duration.ofMinutes(5);

    private SessionRoutes() {}

    public static void register(Routes routes, SessionLifecycleUseCase sessions, Bodies bodies) {
        routes.post("/v1/instances/{id}/connect").access(Access.ACCOUNT_OR_INSTANCE).tag("Session")
                .summary("Start the session; returns the QR code when the instance must be paired")
                .description("Waits up to 10 s for the first QR code. A linked instance reconnects with its stored "
                        + "credentials and the response says `connecting`.")
                .returns(200, SessionDtos.Session.class).errors(404, 503)
                .handle(ctx -> ctx.json(view(sessions.connect(Authenticator.principal(ctx), ctx.pathParam("id")))));
        routes.get("/v1/instances/{id}/qr").access(Access.ACCOUNT_OR_INSTANCE).tag("Session")
                .summary("The QR code being shown").returns(200, SessionDtos.Session.class).errors(404, 409)
                .handle(ctx -> {
                    var qr = sessions.currentQr(Authenticator.principal(ctx), ctx.pathParam("id"));
                    ctx.json(new SessionDtos.Session(true, InstanceStatus.QR.wireName(), null, qr(qr)));
                });
        routes.get("/v1/instances/{id}/qr/stream").access(Access.ACCOUNT_OR_INSTANCE).tag("Session").queryToken()
                .summary("Server-Sent Events: one `qr` event per rotation, then `state` events until connected")
                .returnsText("text/event-stream").errors(404)
                .handle(ctx -> {
                    var caller = Authenticator.principal(ctx);
                    var id = ctx.pathParam("id");
                    var first = sessions.current(caller, id);
                    stream(ServerSentEvents.open(ctx), first,
                            (seen, wait) -> sessions.next(caller, id, seen, wait));
                });
        routes.post("/v1/instances/{id}/pair-code").access(Access.ACCOUNT_OR_INSTANCE).tag("Session")
                .summary("Link with a phone number instead of a QR code")
                .body(SessionDtos.PairCodeRequest.class).returns(200, SessionDtos.PairCode.class).errors(404, 409, 503)
                .handle(ctx -> {
                    var body = bodies.read(ctx, SessionDtos.PairCodeRequest.class);
                    var code = sessions.pairingCode(Authenticator.principal(ctx), ctx.pathParam("id"),
                            new PairingCodeCommand(body.phoneNumber()));
                    ctx.json(new SessionDtos.PairCode(true, code.code(), code.expiresAt()));
                });
        routes.post("/v1/instances/{id}/disconnect").access(Access.ACCOUNT_OR_INSTANCE).tag("Session")
                .summary("Close the socket and keep the credentials").returns(200, SessionDtos.Session.class).errors(404)
                .handle(ctx -> ctx.json(view(sessions.disconnect(Authenticator.principal(ctx), ctx.pathParam("id")))));
        routes.post("/v1/instances/{id}/logout").access(Access.ACCOUNT_OR_INSTANCE).tag("Session")
                .summary("Unlink the device from the phone and wipe its credentials; the instance stays")
                .returns(200, SessionDtos.Session.class).errors(404, 409)
                .handle(ctx -> ctx.json(view(sessions.logout(Authenticator.principal(ctx), ctx.pathParam("id")))));
        routes.post("/v1/instances/{id}/restart").access(Access.ACCOUNT_OR_INSTANCE).tag("Session")
                .summary("Reconnect with the stored credentials").returns(200, SessionDtos.Session.class)
                .errors(404, 409)
                .handle(ctx -> ctx.json(view(sessions.restart(Authenticator.principal(ctx), ctx.pathParam("id")))));
        routes.get("/v1/devices").access(Access.ACCOUNT).tag("Session")
                .summary("The tenant's instances linked to a WhatsApp account").returns(200, SessionDtos.Devices.class)
                .handle(ctx -> ctx.json(new SessionDtos.Devices(true,
                        sessions.linkedDevices(Authenticator.principal(ctx)).stream().map(SessionRoutes::device)
                                .toList())));
    }

    /**
     * Sends each change as it happens: woken by the instance's committed events (the session may run on another
     * node, whose events reach this one through PostgreSQL NOTIFY), never by polling.
     */
    private static void stream(SseClient client, Connection first, NextChange next) {
        long deadline = System.nanoTime() + STREAM_LIMIT.toNanos();
        Optional<CurrentQr> lastQr = Optional.empty();
        String lastState = null;
        var now = first;
        try {
            while (true) {
                if (now.qr().isPresent() && !now.qr().equals(lastQr)) {
                    client.sendEvent("qr", qr(now.qr().get()));
                    lastQr = now.qr();
                }
                var state = now.instance().status().wireName() + "/" + reason(now.instance());
                if (!state.equals(lastState)) {
                    client.sendEvent("state", Map.of("status", now.instance().status().wireName(),
                            "status_reason", Objects.requireNonNullElse(reason(now.instance()), "")));
                    lastState = state;
                }
                long left = deadline - System.nanoTime();
                if (now.instance().status() == InstanceStatus.CONNECTED || client.terminated() || left <= 0) {
                    return;
                }
                now = next.after(now, Duration.ofNanos(Math.min(left, STREAM_CHECK.toNanos())));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            client.close();
        }
    }

    @FunctionalInterface
    private interface NextChange {
        Connection after(Connection seen, Duration wait) throws InterruptedException;
    }

    private static SessionDtos.Session view(Connection connection) {
        var instance = connection.instance();
        return new SessionDtos.Session(true, instance.status().wireName(), reason(instance),
                connection.qr().map(SessionRoutes::qr).orElse(null));
    }

    private static SessionDtos.Session view(Instance instance) {
        return new SessionDtos.Session(true, instance.status().wireName(), reason(instance), null);
    }

    private static SessionDtos.Qr qr(CurrentQr qr) {
        return new SessionDtos.Qr(QrImages.pngDataUri(qr.qr()), qr.qr(), qr.expiresAt());
    }

    private static String reason(Instance instance) {
        return instance.statusReason() == null ? null : instance.statusReason().wireName();
    }

    private static SessionDtos.Device device(Instance instance) {
        return new SessionDtos.Device(instance.id(), instance.name().value(), instance.status().wireName(),
                instance.account().phoneNumber(), instance.account().platform(), instance.lastSeenAt());
    }
}
