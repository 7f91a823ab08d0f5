package ponte.adapters.http.routes;

import io.javalin.http.Context;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import ponte.adapters.http.core.Access;
import ponte.adapters.http.core.ApiException;
import ponte.adapters.http.core.Authenticator;
import ponte.adapters.http.core.Bodies;
import ponte.adapters.http.core.ErrorCode;
import ponte.adapters.http.core.Routes;
import ponte.adapters.http.dto.MessageDtos;
import ponte.application.port.in.MessagesUseCase;
import ponte.domain.message.MessageId;
import ponte.domain.message.MessageStatus;
import ponte.domain.message.OutgoingMessage;
import ponte.domain.validation.ValidationException;

/**
 * Sending and reading messages (API.md "Messages"): text sends, one message with its status history, marking a chat
 * read, checking numbers. The body is validated in full (every problem named at once) before the instance is looked
 * up, so a malformed send never reaches the queue.
 */
public final class MessageRoutes {
    private static final String TAG = "Messages";
    /** How long {@code ?wait=true} waits for the server's ack (API.md: "≤ 30 s"). */
    static final Duration WAIT_FOR_ACK = Duration.ofSeconds(30);
    /** The message types of API.md that later issues build; each answers 400 saying it is not supported yet. */
    static final List<String> NOT_YET = List.of("image", "video", "audio", "document", "sticker", "location",
            "contact", "reaction", "poll");

    private MessageRoutes() {}

    public static void register(Routes routes, MessagesUseCase messages, Bodies bodies) {
        routes.post("/v1/instances/{id}/messages/text").access(Access.ACCOUNT_OR_INSTANCE).tag(TAG)
                .summary("Send a text message")
                .description("The recipient is checked with WhatsApp, the message id fixed and the message queued "
                        + "durably; the answer comes at once with status `queued` (202). The outgoing queue sends "
                        + "in order per chat, paced (by default 1 message/s per chat and 20/s per instance), and "
                        + "keeps messages of a linked but offline instance until it is online again, across "
                        + "restarts. Every later `message.status` event (sent, delivered, read, failed) carries "
                        + "the id returned here.\n\n"
                        + "`?wait=true` waits up to 30 s for WhatsApp's server to take the message: 201 with "
                        + "status `sent`, 202 with status `queued` when it is still queued at the deadline (an "
                        + "offline instance), or 409 `CONFLICT` when WhatsApp refused it (the message is then "
                        + "`failed`, with its reason in GET /messages/{message_id}).\n\n"
                        + "An `idempotency_key` used on this instance within 24 h returns the first message as it "
                        + "stands now and sends nothing. 400 `VALIDATION_ERROR` for a malformed field, a number "
                        + "that is not on WhatsApp (nothing is queued), an unknown `reply_to` or a group the "
                        + "instance is not in; 409 `NOT_CONNECTED` when the instance was never paired.")
                .query("wait", "true: wait up to 30 s for the server's ack (201 sent); default false", Boolean.class)
                .body(MessageDtos.TextBody.class).returns(202, MessageDtos.Sent.class)
                .alsoReturns(201, "sent: with ?wait=true, WhatsApp's server took the message", MessageDtos.Sent.class)
                .errors(404, 409)
                .handle(ctx -> sendText(ctx, messages, bodies));
        routes.post("/v1/instances/{id}/messages/{type}").access(Access.ACCOUNT_OR_INSTANCE).tag(TAG)
                .summary("Send another type of message (not supported yet)")
                .description("API.md's other message types (" + String.join(", ", NOT_YET) + ") are not "
                        + "supported yet: each answers 400 `VALIDATION_ERROR` on `type` saying so, and nothing is "
                        + "sent. Any other `type` is 400 too, naming the types there are. Send text with "
                        + "POST /v1/instances/{id}/messages/text.")
                .returns(202, MessageDtos.Sent.class).errors(400)
                .handle(ctx -> {
                    var type = ctx.pathParam("type");
                    throw ValidationException.of("type", NOT_YET.contains(type)
                            ? "'" + type + "' messages are not supported yet; this gateway sends text"
                            : "'" + type + "' is not a message type: use text (or, once supported, "
                                    + String.join(", ", NOT_YET) + ")");
                });
        routes.get("/v1/instances/{id}/messages/{message_id}").access(Access.ACCOUNT_OR_INSTANCE).tag(TAG)
                .summary("One message, sent or received, with its status history")
                .description("The message object of the events with `status_history`: every status a message "
                        + "we sent went through, oldest first (`queued`, `sent`, `delivered`, `read`; in a group "
                        + "one `delivered`/`read` per member, naming the `participant`; `failed` with its `error`). "
                        + "404 for an id this instance never sent or received.")
                .returns(200, MessageDtos.One.class).errors(400, 404)
                .handle(ctx -> {
                    var id = MessageId.parse("message_id", ctx.pathParam("message_id"));
                    var stored = messages.get(Authenticator.principal(ctx), ctx.pathParam("id"), id.value());
                    ctx.json(new MessageDtos.One(true, MessageDtos.MessageView.of(stored)));
                });
        routes.post("/v1/instances/{id}/chats/{jid}/read").access(Access.ACCOUNT_OR_INSTANCE).tag(TAG)
                .summary("Mark a chat read: read receipts go to the senders of its unread messages")
                .description("`{jid}` is the chat's JID (…@s.whatsapp.net, …@lid, …@g.us or status@broadcast, whose "
                        + "receipts go to each status's author). The receipts go out "
                        + "now when the instance is online, otherwise when it next is. `marked` counts the "
                        + "received messages that were unread.")
                .returns(200, MessageDtos.ChatMarkedRead.class).errors(400, 404, 409)
                .handle(ctx -> ctx.json(MessageDtos.ChatMarkedRead.of(messages.markChatRead(
                        Authenticator.principal(ctx), ctx.pathParam("id"), ctx.pathParam("jid")))));
        routes.post("/v1/instances/{id}/contacts/check").access(Access.ACCOUNT_OR_INSTANCE).tag(TAG)
                .summary("Which numbers are on WhatsApp")
                .description("Asks WhatsApp's server about 1-50 numbers; one answer per number, in the order given, "
                        + "with the JID WhatsApp knows it by (Brazil's and Mexico's old and new mobile forms "
                        + "resolve to the one in use) and its LID. 409 `NOT_CONNECTED` when the instance is not "
                        + "online.")
                .body(MessageDtos.CheckBody.class).returns(200, MessageDtos.Checked.class).errors(404, 409)
                .handle(ctx -> {
                    var body = bodies.read(ctx, MessageDtos.CheckBody.class);
                    var checks = messages.checkContacts(Authenticator.principal(ctx), ctx.pathParam("id"),
                            body.numbers());
                    ctx.json(new MessageDtos.Checked(true, checks.stream().map(MessageDtos.ContactView::of).toList()));
                });
    }

    private static void sendText(Context ctx, MessagesUseCase messages, Bodies bodies) {
        var wait = waitFor(ctx);
        var body = bodies.read(ctx, MessageDtos.TextBody.class);
        var outgoing = OutgoingMessage.text(body.to(), body.text(), body.replyTo(), body.mentions(),
                body.linkPreview(), body.idempotencyKey());
        var result = messages.send(Authenticator.principal(ctx), ctx.pathParam("id"), outgoing, wait);
        if (wait.isPresent() && result.status() == MessageStatus.FAILED) {
            throw new ApiException(ErrorCode.CONFLICT, "WhatsApp did not take message " + result.id().value()
                    + ": " + result.error().orElse("no reason given") + "; it is failed and will not be retried");
        }
        boolean sent = wait.isPresent() && result.status() != MessageStatus.QUEUED;
        ctx.status(sent ? 201 : 202).json(new MessageDtos.Sent(true, MessageDtos.Accepted.of(result)));
    }

    private static Optional<Duration> waitFor(Context ctx) {
        var wait = ctx.queryParam("wait");
        if (wait == null || wait.equals("false")) {
            return Optional.empty();
        }
        if (wait.equals("true")) {
            return Optional.of(WAIT_FOR_ACK);
        }
        throw ValidationException.of("wait", "must be true or false");
    }
}
