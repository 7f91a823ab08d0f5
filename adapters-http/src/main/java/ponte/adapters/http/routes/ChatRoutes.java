package ponte.adapters.http.routes;

import ponte.adapters.http.core.Access;
import ponte.adapters.http.core.Authenticator;
import ponte.adapters.http.core.Routes;
import ponte.adapters.http.dto.ChatDtos;
import ponte.adapters.http.dto.MessageDtos;
import ponte.application.model.PageRequest;
import ponte.application.port.in.MessagesUseCase;

/**
 * The chats of an instance and their history (API.md "Chats, contacts, store"), read from the message store. A chat
 * with no stored messages is an empty page, not a 404: a chat exists for WhatsApp whether or not this instance has
 * seen a message of it.
 */
public final class ChatRoutes {
    private static final String TAG = "Chats";

    private ChatRoutes() {}

    public static void register(Routes routes, MessagesUseCase messages) {
        Paging.documented(routes.get("/v1/instances/{id}/chats")).access(Access.ACCOUNT_OR_INSTANCE).tag(TAG)
                .summary("List chats, most recently active first")
                .description("One entry per chat the instance sent or received a message in, with its newest "
                        + "message and unread count. A person's chat addressed by their LID joins their "
                        + "phone-number chat once a received message told both. 404 for an instance that is not "
                        + "the caller's.")
                .returns(200, ChatDtos.Chats.class).errors(400, 404)
                .handle(ctx -> {
                    var page = messages.chats(Authenticator.principal(ctx), ctx.pathParam("id"), Paging.of(ctx));
                    ctx.json(new ChatDtos.Chats(true, page.items().stream().map(ChatDtos.ChatView::of).toList(),
                            page.nextCursor()));
                });
        routes.get("/v1/instances/{id}/chats/{jid}/messages").access(Access.ACCOUNT_OR_INSTANCE).tag(TAG)
                .summary("A chat's messages, newest first")
                .description("`{jid}` is the chat's JID (…@s.whatsapp.net, …@lid or …@g.us); a person's messages "
                        + "are found under either name. `?before=` is the previous page's `next_cursor` (the id "
                        + "of its oldest message). A chat without stored messages is an empty list; 400 for a "
                        + "`before` that is not a message of this instance; 404 for an instance that is not the "
                        + "caller's.")
                .query("limit", "Messages per page, 1-200 (default 50)", Integer.class)
                .query("before", "The next_cursor of the previous page", String.class)
                .returns(200, ChatDtos.Messages.class).errors(400, 404)
                .handle(ctx -> {
                    var limit = Paging.of(ctx).limit();
                    var before = ctx.queryParam("before") != null ? ctx.queryParam("before") : ctx.queryParam("cursor");
                    var page = messages.chatMessages(Authenticator.principal(ctx), ctx.pathParam("id"),
                            ctx.pathParam("jid"), new PageRequest(limit, before == null || before.isEmpty()
                                    ? null : before));
                    ctx.json(new ChatDtos.Messages(true, page.items().stream().map(MessageDtos.MessageView::of)
                            .toList(), page.nextCursor()));
                });
    }
}
