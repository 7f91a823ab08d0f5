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
import ponte.domain.message.MediaType;
import ponte.domain.message.MessageId;
import ponte.domain.message.MessageStatus;
import ponte.domain.message.OutgoingContent;
import ponte.domain.message.OutgoingMessage;
import ponte.domain.validation.ValidationException;

/**
 * Sending and reading messages (API.md "Messages"): sends of every type, edits and revokes, one message with its
 * status history, marking a chat read, checking numbers. The body is validated in full (every problem named at once) before the instance is looked
 * up, so a malformed send never reaches the queue.
 */
public final class MessageRoutes {
    private static final String TAG = "Messages";
    /** How long {@code ?wait=true} waits for the server's ack (API.md: "≤ 30 s"). */
    static final Duration WAIT_FOR_ACK = Duration.ofSeconds(30);
    /** The media types of API.md, sent through {@code POST /v1/instances/{id}/messages/{type}}. */
    static final List<String> MEDIA = List.of("image", "video", "audio", "document", "sticker");
    private static final String SHARED = "Shared fields as for text: `to`, `reply_to`, `mentions`, "
            + "`idempotency_key`, and `?wait=true`; the answer is the same (202 queued, 201 sent). ";

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
        routes.post("/v1/instances/{id}/messages/location").access(Access.ACCOUNT_OR_INSTANCE).tag(TAG)
                .summary("Send a location")
                .description(SHARED + "`latitude` and `longitude` in degrees (WGS 84), with an optional place "
                        + "`name` and `address`. 400 `VALIDATION_ERROR` for coordinates out of range.")
                .query("wait", "true: wait up to 30 s for the server's ack (201 sent); default false", Boolean.class)
                .body(MessageDtos.LocationBody.class).returns(202, MessageDtos.Sent.class)
                .alsoReturns(201, "sent: with ?wait=true", MessageDtos.Sent.class).errors(404, 409)
                .handle(ctx -> {
                    var body = bodies.read(ctx, MessageDtos.LocationBody.class);
                    send(ctx, messages, OutgoingMessage.location(body.to(), body.latitude(), body.longitude(),
                            body.name(), body.address(), body.replyTo(), body.mentions(), body.idempotencyKey()));
                });
        routes.post("/v1/instances/{id}/messages/contact").access(Access.ACCOUNT_OR_INSTANCE).tag(TAG)
                .summary("Send contact cards")
                .description(SHARED + "`contacts`: 1-100 cards `{name, phones:[...], org?, email?}`, sent as "
                        + "vCards (one card as a contact message, several as a contacts array).")
                .query("wait", "true: wait up to 30 s for the server's ack (201 sent); default false", Boolean.class)
                .body(MessageDtos.ContactBody.class).returns(202, MessageDtos.Sent.class)
                .alsoReturns(201, "sent: with ?wait=true", MessageDtos.Sent.class).errors(404, 409)
                .handle(ctx -> {
                    var body = bodies.read(ctx, MessageDtos.ContactBody.class);
                    var cards = body.contacts() == null ? null : body.contacts().stream()
                            .map(c -> c == null ? null : new OutgoingContent.CardInput(c.name(), c.phones(), c.org(),
                                    c.email())).toList();
                    send(ctx, messages, OutgoingMessage.contact(body.to(), cards, body.replyTo(), body.mentions(),
                            body.idempotencyKey()));
                });
        routes.post("/v1/instances/{id}/messages/reaction").access(Access.ACCOUNT_OR_INSTANCE).tag(TAG)
                .summary("React to a message")
                .description("`to` is the chat, `message_id` a message of that chat this instance stored (sent "
                        + "or received; 404 `NOT_FOUND` otherwise, nothing sent), `emoji` one emoji; an empty "
                        + "`emoji` removes our reaction. `idempotency_key` and `?wait=true` as for text.")
                .query("wait", "true: wait up to 30 s for the server's ack (201 sent); default false", Boolean.class)
                .body(MessageDtos.ReactionBody.class).returns(202, MessageDtos.Sent.class)
                .alsoReturns(201, "sent: with ?wait=true", MessageDtos.Sent.class).errors(404, 409)
                .handle(ctx -> {
                    var body = bodies.read(ctx, MessageDtos.ReactionBody.class);
                    send(ctx, messages, OutgoingMessage.reaction(body.to(), body.messageId(), body.emoji(),
                            body.idempotencyKey()));
                });
        routes.post("/v1/instances/{id}/messages/poll").access(Access.ACCOUNT_OR_INSTANCE).tag(TAG)
                .summary("Send a poll")
                .description(SHARED + "`question`, 2-12 distinct `options`, `multiple` (default false: one choice). "
                        + "Votes come back as `message.exchange` events of type `poll_vote` naming the poll's id "
                        + "and the options each voter chose.")
                .query("wait", "true: wait up to 30 s for the server's ack (201 sent); default false", Boolean.class)
                .body(MessageDtos.PollBody.class).returns(202, MessageDtos.Sent.class)
                .alsoReturns(201, "sent: with ?wait=true", MessageDtos.Sent.class).errors(404, 409)
                .handle(ctx -> {
                    var body = bodies.read(ctx, MessageDtos.PollBody.class);
                    send(ctx, messages, OutgoingMessage.poll(body.to(), body.question(), body.options(),
                            body.multiple(), body.replyTo(), body.mentions(), body.idempotencyKey()));
                });
        for (var kind : MediaType.values()) {
            routes.post("/v1/instances/{id}/messages/" + kind.wireName()).access(Access.ACCOUNT_OR_INSTANCE).tag(TAG)
                    .summary("Send " + (kind == MediaType.IMAGE ? "an " : "a ") + kind.wireName())
                    .description(SHARED + "`url` xor `base64`, `caption` (images, videos, documents), `file_name`, "
                            + "`mime_type`; audio `ptt` (voice note, default true) and a voice note's `waveform` "
                            + "(64 numbers 0-100), video `gif`. Audio and video carry their `duration_s` and PDFs "
                            + "their `page_count` when the file says.")
                    .query("wait", "true: wait up to 30 s for the server's ack (201 sent); default false",
                            Boolean.class)
                    .body(MessageDtos.MediaBody.class).returns(202, MessageDtos.Sent.class)
                    .alsoReturns(201, "sent: with ?wait=true", MessageDtos.Sent.class).errors(404, 409)
                    .handle(ctx -> {
                        var body = bodies.read(ctx, MessageDtos.MediaBody.class);
                        send(ctx, messages, OutgoingMessage.media(body.to(), kind, body.url(), body.base64(),
                                body.caption(), body.fileName(), body.mimeType(), body.ptt(), body.gif(),
                                body.waveform(), body.replyTo(), body.mentions(), body.idempotencyKey()));
                    });
        }
        routes.post("/v1/instances/{id}/messages/{type}").access(Access.ACCOUNT_OR_INSTANCE).tag(TAG)
                .summary("Any other message type: refused")
                .description("400 `VALIDATION_ERROR` on `type`, naming the types there are: text, location, "
                        + "contact, reaction, poll, " + String.join(", ", MEDIA) + ".")
                .returns(202, MessageDtos.Sent.class).errors(400)
                .handle(ctx -> {
                    var type = ctx.pathParam("type");
                    throw ValidationException.of("type", "'" + type + "' is not a message type: use text, location, "
                            + "contact, reaction, poll or " + String.join(", ", MEDIA));
                });
        routes.patch("/v1/instances/{id}/messages/{message_id}").access(Access.ACCOUNT_OR_INSTANCE).tag(TAG)
                .summary("Edit a message this instance sent")
                .description("Sends WhatsApp's edit of our own message: its new `text` (for an image, video or "
                        + "document, its new caption), within 15 minutes of sending. The edit is queued like a "
                        + "send (202, its own id); the message shows the new text and `edited_at` at once. 400 "
                        + "`VALIDATION_ERROR` for a message not ours, older than 15 minutes, revoked or not "
                        + "editable; 404 for an unknown id.")
                .body(MessageDtos.EditBody.class).returns(202, MessageDtos.Sent.class).errors(400, 404, 409)
                .handle(ctx -> {
                    var id = MessageId.parse("message_id", ctx.pathParam("message_id"));
                    var body = bodies.read(ctx, MessageDtos.EditBody.class);
                    var result = messages.edit(Authenticator.principal(ctx), ctx.pathParam("id"), id.value(),
                            body.text());
                    ctx.status(202).json(new MessageDtos.Sent(true, MessageDtos.Accepted.of(result)));
                });
        routes.delete("/v1/instances/{id}/messages/{message_id}").access(Access.ACCOUNT_OR_INSTANCE).tag(TAG)
                .summary("Revoke a message (delete it for everyone)")
                .description("Sends WhatsApp's revoke of the message: ours, or in a group another member's when "
                        + "the instance's account is an admin (WhatsApp decides). Queued like a send (202, its "
                        + "own id); the message shows `revoked: true` at once. 404 for an unknown id.")
                .returns(202, MessageDtos.Sent.class).errors(400, 404, 409)
                .handle(ctx -> {
                    var id = MessageId.parse("message_id", ctx.pathParam("message_id"));
                    var result = messages.revoke(Authenticator.principal(ctx), ctx.pathParam("id"), id.value());
                    ctx.status(202).json(new MessageDtos.Sent(true, MessageDtos.Accepted.of(result)));
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
        var body = bodies.read(ctx, MessageDtos.TextBody.class);
        send(ctx, messages, OutgoingMessage.text(body.to(), body.text(), body.replyTo(), body.mentions(),
                body.linkPreview(), body.idempotencyKey()));
    }

    /** Sends a validated message and answers 202 queued, or with {@code ?wait=true} 201 sent (409 refused). */
    private static void send(Context ctx, MessagesUseCase messages, OutgoingMessage outgoing) {
        var wait = waitFor(ctx);
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
