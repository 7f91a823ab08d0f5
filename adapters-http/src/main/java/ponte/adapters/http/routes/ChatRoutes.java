package ponte.adapters.http.routes;

import ponte.adapters.http.core.Access;
import ponte.adapters.http.core.Authenticator;
import ponte.adapters.http.core.Routes;
import ponte.adapters.http.dto.ChatDtos;
import ponte.adapters.http.dto.MessageDtos;
import ponte.application.model.PageRequest;
import ponte.application.port.in.MessagesUseCase;

/**
 * The chats of an instance, their history and the people who wrote (API.md "Chats, contacts, store"), read from
 * the message store. A chat with no stored messages is an empty page, not a 404: a chat exists for WhatsApp whether
 * or not this instance has seen a message of it; a contact no message told of is a 404.
 */
public final class ChatRoutes {
    private static final String TAG = "Chats";
    private static final String CONTACTS = "Contacts";

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
                .description("`{jid}` is the chat's JID (…@s.whatsapp.net, …@lid, …@g.us or status@broadcast); a "
                        + "person's messages "
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
        Paging.documented(routes.get("/v1/instances/{id}/contacts")).access(Access.ACCOUNT_OR_INSTANCE)
                .tag(CONTACTS).summary("List the people who wrote to the instance")
                .description("One entry per person a received message came from, in JID order: their "
                        + "phone-number JID and LID (paired once a message carried both) and the push name of "
                        + "their latest message. `name` (the phone's address book) is null until app-state sync "
                        + "is supported. 404 for an instance that is not the caller's.")
                .returns(200, ChatDtos.Contacts.class).errors(400, 404)
                .handle(ctx -> {
                    var page = messages.contacts(Authenticator.principal(ctx), ctx.pathParam("id"), Paging.of(ctx));
                    ctx.json(new ChatDtos.Contacts(true, page.items().stream().map(ChatDtos.ContactView::of)
                            .toList(), page.nextCursor()));
                });
        routes.get("/v1/instances/{id}/contacts/{jid}").access(Access.ACCOUNT_OR_INSTANCE).tag(CONTACTS)
                .summary("One person who wrote to the instance")
                .description("`{jid}` is their phone-number JID, their LID or their phone number. 404 when no "
                        + "message from them was stored (or the instance is not the caller's); 400 for a `{jid}` "
                        + "that names no person (a group, a device).")
                .returns(200, ChatDtos.OneContact.class).errors(400, 404)
                .handle(ctx -> ctx.json(new ChatDtos.OneContact(true, ChatDtos.ContactView.of(messages.contact(
                        Authenticator.principal(ctx), ctx.pathParam("id"), ctx.pathParam("jid"))))));
    }
}
