package ponte.adapters.http.dto;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;
import java.util.List;
import ponte.adapters.http.openapi.Doc;
import ponte.adapters.http.openapi.Example;
import ponte.adapters.http.openapi.Nullable;
import ponte.adapters.http.openapi.OneOf;
import ponte.application.model.ChatRead;
import ponte.application.model.ContactCheck;
import ponte.application.model.QueuedMessage;
import ponte.application.model.StoredMessage;
import ponte.domain.message.Jid;
import ponte.domain.message.Message;
import ponte.domain.message.MessageStatus;
import ponte.domain.message.StatusChange;

/**
 * Bodies of the messaging routes (API.md "Messages"): sending text, one stored message with its status history,
 * marking a chat read and checking numbers.
 */
public final class MessageDtos {
    private MessageDtos() {}

    @Doc("A text message to send")
    @Example("{\"to\": \"5511987650002\", \"text\": \"Olá! Seu pedido saiu para entrega.\"}")
    public record TextBody(
            @Doc("The recipient: a phone number with its country code (digits or +E.164), a phone JID "
                    + "(…@s.whatsapp.net), a LID (…@lid) or a group JID (…@g.us). A number is checked with WhatsApp "
                    + "before anything is queued.")
            @Example("5511987650002") String to,
            @Doc("The text, 1-65,536 characters (Unicode code points), not blank")
            @Example("Olá! Seu pedido saiu para entrega.") String text,
            @Doc("The id of a message of the same chat this one replies to (quotes)") String replyTo,
            @Doc("People mentioned (numbers or JIDs); write @<number> in the text where each goes")
            List<String> mentions,
            @Doc("Whether WhatsApp may show a preview of the first link (default true)") Boolean linkPreview,
            @Doc("The same key on the same instance within 24 h returns the first message and sends nothing again: "
                    + "1-128 visible ASCII characters") @Example("order-4711-shipped") String idempotencyKey) {}

    @Doc("A location to send")
    @Example("{\"to\": \"5511987650002\", \"latitude\": -23.5613, \"longitude\": -46.6565, \"name\": \"MASP\", "
            + "\"address\": \"Av. Paulista, 1578\"}")
    public record LocationBody(
            @Doc("The recipient: a phone number with its country code (digits or +E.164), a phone JID "
                    + "(…@s.whatsapp.net), a LID (…@lid) or a group JID (…@g.us)")
            @Example("5511987650002") String to,
            @Doc("Degrees north, -90 to 90") Double latitude,
            @Doc("Degrees east, -180 to 180") Double longitude,
            @Doc("The place's name") String name,
            @Doc("The place's address") String address,
            @Doc("The id of a message of the same chat this one replies to (quotes)") String replyTo,
            @Doc("People mentioned (numbers or JIDs)") List<String> mentions,
            @Doc("The same key on the same instance within 24 h returns the first message and sends nothing again: "
                    + "1-128 visible ASCII characters") String idempotencyKey) {}

    @Doc("One contact card")
    public record CardBody(@Doc("The name shown") @Example("Ana Souza") String name,
                           @Doc("Phone numbers, digits or +E.164") @Example("[\"+5511987650003\"]") List<String> phones,
                           @Doc("The company") String org,
                           @Doc("An e-mail address") String email) {}

    @Doc("Contact cards to send (vCards on the wire)")
    @Example("{\"to\": \"5511987650002\", \"contacts\": [{\"name\": \"Ana Souza\", \"phones\": [\"+5511987650003\"]}]}")
    public record ContactBody(
            @Doc("The recipient: a phone number with its country code (digits or +E.164), a phone JID "
                    + "(…@s.whatsapp.net), a LID (…@lid) or a group JID (…@g.us)")
            @Example("5511987650002") String to,
            @Doc("1-100 cards") List<CardBody> contacts,
            @Doc("The id of a message of the same chat this one replies to (quotes)") String replyTo,
            @Doc("People mentioned (numbers or JIDs)") List<String> mentions,
            @Doc("The same key on the same instance within 24 h returns the first message and sends nothing again: "
                    + "1-128 visible ASCII characters") String idempotencyKey) {}

    @Doc("A reaction to a message of the chat")
    @Example("{\"to\": \"5511987650002\", \"message_id\": \"3EB0A1B2C3D4E5F6A7B8C9\", \"emoji\": \"👍\"}")
    public record ReactionBody(
            @Doc("The recipient: a phone number with its country code (digits or +E.164), a phone JID "
                    + "(…@s.whatsapp.net), a LID (…@lid) or a group JID (…@g.us)")
            @Example("5511987650002") String to,
            @Doc("The message reacted to: a message of this chat the instance stored (404 otherwise)")
            String messageId,
            @Doc("One emoji; empty removes our reaction") String emoji,
            @Doc("The same key on the same instance within 24 h returns the first message and sends nothing again")
            String idempotencyKey) {}

    @Doc("A poll to send")
    @Example("{\"to\": \"5511987650002\", \"question\": \"Entrega amanhã?\", \"options\": [\"Manhã\", \"Tarde\"]}")
    public record PollBody(
            @Doc("The recipient: a phone number with its country code (digits or +E.164), a phone JID "
                    + "(…@s.whatsapp.net), a LID (…@lid) or a group JID (…@g.us)")
            @Example("5511987650002") String to,
            @Doc("The question, 1-255 characters") String question,
            @Doc("2-12 distinct options, each 1-255 characters") List<String> options,
            @Doc("Whether a voter may choose several options (default false: one)") Boolean multiple,
            @Doc("The id of a message of the same chat this one replies to (quotes)") String replyTo,
            @Doc("People mentioned (numbers or JIDs)") List<String> mentions,
            @Doc("The same key on the same instance within 24 h returns the first message and sends nothing again: "
                    + "1-128 visible ASCII characters") String idempotencyKey) {}

    @Doc("A media message to send (image, video, audio, document or sticker)")
    @Example("{\"to\": \"5511987650002\", \"url\": \"https://example.com/pedido-4711\"}")
    public record MediaBody(
            @Doc("The recipient: a phone number with its country code (digits or +E.164), a phone JID "
                    + "(…@s.whatsapp.net), a LID (…@lid) or a group JID (…@g.us)")
            @Example("5511987650002") String to,
            @Doc("Where to fetch the file (http/https); give url or base64") String url,
            @Doc("The file itself, base64, optionally as a data URL (`data:<mime>;base64,...`, whose MIME type is a "
                    + "hint like `mime_type`); give url or base64") String base64,
            @Doc("A caption (images, videos, documents)") String caption,
            @Doc("A document's file name, as the recipient sees it. Only its last path segment is kept and control "
                    + "and bidirectional-formatting characters are removed (`../../etc/passwd` is sent as `passwd`); "
                    + "a name with nothing left, or `.`/`..`, is a 400 on `file_name`") String fileName,
            @Doc("The MIME type; checked against the bytes") String mimeType,
            @Doc("Audio: send as a voice note (default true; Ogg/Opus)") Boolean ptt,
            @Doc("Video: play as a GIF (default false)") Boolean gif,
            @Doc("A voice note's waveform as its recipient draws it: 64 numbers from 0 (silence) to 100 (loudest), "
                    + "evenly spread over the recording; without it the note shows flat bars. The gateway computes "
                    + "none (that would mean decoding the Opus audio); the duration is read from the file")
            List<Integer> waveform,
            @Doc("The id of a message of the same chat this one replies to (quotes)") String replyTo,
            @Doc("People mentioned (numbers or JIDs)") List<String> mentions,
            @Doc("The same key on the same instance within 24 h returns the first message and sends nothing again: "
                    + "1-128 visible ASCII characters") String idempotencyKey) {}

    @Doc("An edit of a message this instance sent: its new text (a media message's new caption)")
    @Example("{\"text\": \"Seu pedido sai amanhã.\"}")
    public record EditBody(@Doc("The new text, 1-65,536 characters") String text) {}

    @Doc("A message the gateway took: its WhatsApp id (the one every later event carries) and where it stands")
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Accepted(@Doc("WhatsApp's message id, fixed before the first try") @Example("3EB0A1B2C3D4E5F6A7B8C9")
                           String id,
                           @Doc("queued when it waits in the outgoing queue; sent once WhatsApp's server took it; "
                                   + "further (delivered, read, failed) when an idempotency key named an earlier "
                                   + "message") @OneOf(MessageStatus.class) String status,
                           @Doc("The recipient: a number's digits (no '+'), or the JID as given") String to,
                           @Doc("The chat the recipient resolved to: the JID WhatsApp knows the number by, the LID "
                                   + "or the group") String chatJid,
                           @Doc("The message type") @Example("text") String type,
                           @Doc("Why it failed; only with status failed") @Nullable String error) {
        public static Accepted of(QueuedMessage queued) {
            return new Accepted(queued.id().value(), queued.status().wireName(), queued.to(),
                    queued.chatJid().toString(), queued.type(), queued.error().orElse(null));
        }
    }

    public record Sent(boolean success, Accepted message) {}

    @Doc("Who wrote a message: both the phone-number JID and the LID when known")
    public record SenderView(@Doc("The account's phone-number JID, …@s.whatsapp.net") @Nullable String jid,
                             @Doc("The account's LID, …@lid") @Nullable String lid,
                             @Doc("The name the sender set for themself, when the message carried it")
                             @Nullable String pushName) {}

    @Doc("The message replied to")
    public record QuotedView(String id, @Doc("Who wrote the quoted message") String sender) {}

    @Doc("One step of a sent message's way, oldest first")
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record StatusStep(@OneOf(MessageStatus.class) String status,
                             @Doc("When it happened (the server's time for acks and receipts)") Instant at,
                             @Doc("In a group, the member whose receipt this is") @Nullable String participant,
                             @Doc("Why it failed; only with failed") @Nullable String error) {
        static StatusStep of(StatusChange change) {
            return new StatusStep(change.status().wireName(), change.at(),
                    change.participant().map(Jid::toString).orElse(null), change.error().orElse(null));
        }
    }

    @Doc("The message object (as in message.exchange events) with the status history of a message we sent")
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record MessageView(
            @Doc("WhatsApp's message id") String id,
            @Doc("The chat: the other person's JID in a 1:1 chat, the group's in a group") String chatJid,
            @Doc("True for messages this instance's account sent (from the API or another device)") boolean fromMe,
            SenderView sender,
            @Doc("When the sender's client sent it") Instant timestamp,
            @Doc("The message type") @Example("text") String type,
            @Doc("How far it went: queued, sent, delivered, read, played or failed for ours; delivered or read for "
                    + "received ones") @OneOf(MessageStatus.class) String status,
            @Doc("The text, for text messages") @Nullable String text,
            @Doc("The caption of an image, video or document") @Nullable String caption,
            @Doc("A media message's file: {mime_type, file_name?, size?, sha256?, duration_s?, width?, height?, url?, "
                    + "ptt?, gif?, animated?, waveform?, page_count?, error?}") @Nullable MediaView media,
            @Doc("A location: {latitude, longitude, name?, address?}") @Nullable LocationView location,
            @Doc("Contact cards: [{name, phones, org?, email?}]") @Nullable List<CardView> contacts,
            @Doc("A poll: {question, options, multiple}") @Nullable PollView poll,
            @Doc("A poll vote: the poll's id and the options the voter now chooses") @Nullable PollVoteView pollVote,
            @Doc("A reaction: the message reacted to and the emoji (empty: removed)") @Nullable ReactionView reaction,
            @Doc("When its author last edited it") @Nullable Instant editedAt,
            @Doc("Present (true) when its author deleted it for everyone") @Nullable Boolean revoked,
            @Doc("Present (true) for view-once media") @Nullable Boolean viewOnce,
            @Doc("Present (true) when the message could not be decrypted; it has no text then")
            @Nullable Boolean undecryptable,
            @Doc("The message it replies to") @Nullable QuotedView quoted,
            @Doc("The accounts it mentions") @Nullable List<String> mentions,
            boolean isGroup,
            @Doc("In a group, the member who wrote it") @Nullable String participant,
            @Doc("Present (true) for messages from the phone's history sync") @Nullable Boolean fromHistory,
            @Doc("Every status a message we sent went through, oldest first: {status, at, participant?, error?}. "
                    + "Empty for received messages.") List<StatusStep> statusHistory) {
        public static MessageView of(StoredMessage stored) {
            var m = stored.message();
            String text = m.body() instanceof Message.Text t ? t.text() : null;
            Boolean undecryptable = m.body() instanceof Message.Undecryptable ? Boolean.TRUE : null;
            var sender = m.sender();
            return new MessageView(m.id().value(), m.chatJid().toString(), m.fromMe(),
                    new SenderView(sender.jid().map(Jid::toString).orElse(null),
                            sender.lid().map(Jid::toString).orElse(null), sender.pushName().orElse(null)),
                    m.timestamp(), m.body().type(), m.status().wireName(), text,
                    m.body() instanceof Message.Media media ? media.caption().orElse(null) : null,
                    m.body() instanceof Message.Media media ? MediaView.of(media.media()) : null,
                    m.body() instanceof Message.Location l ? new LocationView(l.latitude(), l.longitude(),
                            l.name().orElse(null), l.address().orElse(null)) : null,
                    m.body() instanceof Message.Contacts c ? c.contacts().stream().map(card -> new CardView(
                            card.name(), card.phones(), card.org().orElse(null), card.email().orElse(null))).toList()
                            : null,
                    m.body() instanceof Message.Poll p ? new PollView(p.question(), p.options(), p.multiple()) : null,
                    m.body() instanceof Message.PollVote v ? new PollVoteView(v.pollId().value(), v.options()) : null,
                    m.body() instanceof Message.Reaction r ? new ReactionView(r.messageId().value(), r.emoji()) : null,
                    m.editedAt().orElse(null), m.revoked() ? Boolean.TRUE : null,
                    m.body() instanceof Message.Media media && media.viewOnce() ? Boolean.TRUE : null,
                    undecryptable,
                    m.quoted().map(q -> new QuotedView(q.id().value(), q.sender().toString())).orElse(null),
                    m.mentions().isEmpty() ? null : m.mentions().stream().map(Jid::toString).toList(),
                    m.isGroup(), m.participant().map(Jid::toString).orElse(null),
                    m.fromHistory() ? Boolean.TRUE : null,
                    stored.history().stream().map(StatusStep::of).toList());
        }
    }

    @Doc("A media message's file")
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record MediaView(@Doc("The MIME type") String mimeType, @Nullable String fileName,
                            @Doc("Bytes") @Nullable Long size,
                            @Doc("Hex SHA-256 of the file") @Nullable String sha256,
                            @Doc("Seconds (audio, video)") @Nullable Integer durationS,
                            @Doc("Pixels") @Nullable Integer width, @Doc("Pixels") @Nullable Integer height,
                            @Doc("Where the gateway serves the stored file") @Nullable String url,
                            @Doc("A voice note") @Nullable Boolean ptt, @Doc("A GIF") @Nullable Boolean gif,
                            @Doc("An animated sticker") @Nullable Boolean animated,
                            @Doc("A voice note's waveform: up to 64 numbers 0-100, when the sender gave one")
                            @Nullable List<Integer> waveform,
                            @Doc("A document's number of pages (PDFs the gateway sends; received ones when the "
                                    + "sender said)") @Nullable Integer pageCount,
                            @Doc("Why the file could not be downloaded") @Nullable String error) {
        public static MediaView of(ponte.domain.message.MediaInfo m) {
            return new MediaView(m.mimeType(), m.fileName().orElse(null),
                    m.size().isPresent() ? m.size().getAsLong() : null, m.sha256().orElse(null),
                    m.durationS().isPresent() ? m.durationS().getAsInt() : null,
                    m.width().isPresent() ? m.width().getAsInt() : null,
                    m.height().isPresent() ? m.height().getAsInt() : null, m.url().orElse(null),
                    m.ptt() ? Boolean.TRUE : null, m.gif() ? Boolean.TRUE : null, m.animated() ? Boolean.TRUE : null,
                    m.waveform().map(ponte.domain.message.Waveform::values).orElse(null),
                    m.pageCount().isPresent() ? m.pageCount().getAsInt() : null, m.error().orElse(null));
        }
    }

    @Doc("A point on the map, degrees")
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record LocationView(double latitude, double longitude, @Nullable String name, @Nullable String address) {}

    @Doc("A contact card")
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record CardView(String name, List<String> phones, @Nullable String org, @Nullable String email) {}

    @Doc("A poll")
    public record PollView(String question, List<String> options, boolean multiple) {}

    @Doc("A vote on a poll")
    public record PollVoteView(@Doc("The poll's message id") String messageId,
                               @Doc("The options the voter now chooses, by name") List<String> options) {}

    @Doc("A reaction")
    public record ReactionView(@Doc("The message reacted to") String messageId,
                               @Doc("The emoji; empty when the reaction was removed") String emoji) {}

    public record One(boolean success, MessageView message) {}

    public record ChatMarkedRead(boolean success,
                                 @Doc("The chat") @Example("5511987650002@s.whatsapp.net") String chatJid,
                                 @Doc("How many received messages were unread and are now read") int marked) {
        public static ChatMarkedRead of(ChatRead read) {
            return new ChatMarkedRead(true, read.chat().toString(), read.marked());
        }
    }

    @Doc("Numbers to look up on WhatsApp")
    public record CheckBody(@Doc("1-50 phone numbers with their country code, digits or +E.164")
                            @Example("[\"5511987650002\", \"+55 11 98765-0009\"]") List<String> numbers) {}

    @Doc("What WhatsApp knows of one number")
    public record ContactView(@Doc("The number as given") String input,
                              @Doc("Whether it is a WhatsApp account") boolean exists,
                              @Doc("The phone JID WhatsApp knows it by (for Brazil's and Mexico's mobile numbers "
                                      + "the form WhatsApp uses); null when it does not exist") @Nullable String jid,
                              @Doc("The account's LID, when WhatsApp told it") @Nullable String lid) {
        public static ContactView of(ContactCheck check) {
            return new ContactView(check.input(), check.exists(), check.jid().map(Jid::toString).orElse(null),
                    check.lid().map(Jid::toString).orElse(null));
        }
    }

    public record Checked(boolean success, @Doc("One answer per number, in the order given") List<ContactView> data) {}
}
