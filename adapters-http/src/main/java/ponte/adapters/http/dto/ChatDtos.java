package ponte.adapters.http.dto;

import java.time.Instant;
import java.util.List;
import ponte.adapters.http.openapi.Doc;
import ponte.adapters.http.openapi.Example;
import ponte.adapters.http.openapi.Nullable;
import ponte.application.model.ChatSummary;
import ponte.application.model.Contact;
import ponte.domain.message.Jid;

/** Bodies of the chat routes (API.md "Chats, contacts, store"): the chat list and a chat's messages. */
public final class ChatDtos {
    private ChatDtos() {}

    @Doc("One chat, derived from the messages the instance sent and received")
    public record ChatView(
            @Doc("The chat: a person's phone-number JID (their LID when no received message told both), or the "
                    + "group's JID") @Example("5511987650002@s.whatsapp.net") String jid,
            @Doc("The name the phone's address book gives the person (app-state sync), else their push name from "
                    + "their latest message; null for groups and for people who never wrote") @Nullable String name,
            boolean isGroup,
            @Doc("The newest message of the chat") MessageDtos.MessageView lastMessage,
            @Doc("Received messages not marked read (POST /chats/{jid}/read sets it to 0)") int unreadCount,
            @Doc("When the newest message was sent") Instant updatedAt,
            @Doc("Archived on the account's phone (app-state sync)") boolean archived,
            @Doc("Pinned on the account's phone (app-state sync)") boolean pinned,
            @Doc("Muted on the account's phone (app-state sync)") boolean muted,
            @Doc("Until when it is muted; null when not muted or muted for ever") @Nullable Instant mutedUntil,
            @Doc("The labels (business accounts) the account's phone put on the chat, by id (app-state sync); "
                    + "each change is a label.update event") List<LabelView> labels) {
        public static ChatView of(ChatSummary chat) {
            return new ChatView(chat.jid().toString(), chat.name().orElse(null), chat.isGroup(),
                    MessageDtos.MessageView.of(chat.lastMessage()), chat.unreadCount(), chat.updatedAt(),
                    chat.flags().archived(), chat.flags().pinned(), chat.flags().muted(),
                    chat.flags().mutedUntil().orElse(null), chat.labels().stream()
                            .map(label -> new LabelView(label.id(), label.name(), label.color())).toList());
        }
    }

    @Doc("A label on a chat, as label.update events name it")
    public record LabelView(@Doc("The label's id on the phone") @Example("7") String id,
                            @Doc("Its name") @Example("VIP") String name,
                            @Doc("WhatsApp's colour index, 0-19") @Example("5") int color) {}

    public record Chats(boolean success, @Doc("Most recently active first") List<ChatView> data,
                        @Doc("Pass as ?cursor= to read the next page; null on the last page")
                        @Nullable String nextCursor) {}

    public record Messages(boolean success, @Doc("Newest first") List<MessageDtos.MessageView> data,
                           @Doc("Pass as ?before= (or ?cursor=) to read the older messages; null on the last page "
                                   + "(it is the id of the oldest message of this page)") @Nullable String nextCursor) {}

    @Doc("A person who wrote to the instance, as their messages told, or whom the phone's address book holds")
    public record ContactView(
            @Doc("The phone-number JID, or the LID when no message told the number")
            @Example("5511987650002@s.whatsapp.net") String jid,
            @Doc("The LID, when a message told it") @Nullable String lid,
            @Doc("The phone number's digits, when known") @Nullable String phoneNumber,
            @Doc("The name the person gave WhatsApp, from their latest message") @Nullable String pushName,
            @Doc("The name saved in the phone's address book (app-state sync); null when not saved")
            @Nullable String name,
            @Doc("What the instance last heard of their presence (GET /contacts/{jid} only; null in lists and "
                    + "when nothing was heard): subscribe with POST /presence {to, state: available}")
            @Nullable PresenceView presence) {
        public static ContactView of(Contact contact) {
            return new ContactView(contact.jid().toString(), contact.lid().map(Jid::toString).orElse(null),
                    contact.phoneNumber().orElse(null), contact.pushName().orElse(null),
                    contact.name().orElse(null), contact.presence().map(PresenceView::of).orElse(null));
        }
    }

    @Doc("A person's presence as the instance last heard it (kept in memory by the node running the session)")
    public record PresenceView(
            @Doc("available, unavailable, composing, recording or paused") @Example("composing") String state,
            @Doc("When they were last online, when they share it (with an unavailable presence)")
            @Nullable java.time.Instant lastSeen,
            @Doc("When the instance heard it") java.time.Instant updatedAt) {
        public static PresenceView of(ponte.application.model.ContactPresence presence) {
            return new PresenceView(presence.state(), presence.lastSeen().orElse(null), presence.updatedAt());
        }
    }

    public record Contacts(boolean success, @Doc("In JID order") List<ContactView> data,
                           @Doc("Pass as ?cursor= to read the next page; null on the last page")
                           @Nullable String nextCursor) {}

    public record OneContact(boolean success, ContactView contact) {}
}
