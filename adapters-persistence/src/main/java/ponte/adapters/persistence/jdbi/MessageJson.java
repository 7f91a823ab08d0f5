package ponte.adapters.persistence.jdbi;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;
import ponte.application.port.out.MessagingPort;
import ponte.application.port.out.OutgoingQueue;
import ponte.domain.message.ContactCard;
import ponte.domain.message.Jid;
import ponte.domain.message.MediaInfo;
import ponte.domain.message.MediaType;
import ponte.domain.message.Message;
import ponte.domain.message.MessageId;
import ponte.domain.message.MessageStatus;
import ponte.domain.message.OutgoingStatus;
import ponte.domain.message.Sender;
import ponte.domain.message.StatusChange;

/** The JSON the messaging tables keep: the message object of API.md, a status machine, a queued send. */
final class MessageJson {
    private final ObjectMapper json;

    MessageJson(ObjectMapper json) {
        this.json = json;
    }

    String write(Object value) {
        try {
            return json.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("not serialisable as JSON", e);
        }
    }

    private JsonNode tree(String text) {
        try {
            return json.readTree(text);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("stored messaging JSON is unreadable", e);
        }
    }

    static MessageStatus status(String wireName) {
        return MessageStatus.valueOf(wireName.toUpperCase(Locale.ROOT));
    }

    /** The stored message object, with {@code status} (the column's) in place of the one it was stored with. */
    Message message(String text, MessageStatus status, String chatJid) {
        var node = tree(text);
        var sender = node.path("sender");
        var body = body(node);
        var quoted = node.hasNonNull("quoted") ? Optional.of(new Message.Quoted(
                new MessageId(node.path("quoted").path("id").asText()), jid(node.path("quoted").path("sender"))
                .orElseThrow())) : Optional.<Message.Quoted>empty();
        var mentions = new ArrayList<Jid>();
        node.path("mentions").forEach(m -> jid(m).ifPresent(mentions::add));
        return new Message(new MessageId(node.path("id").asText()), Jid.parse(chatJid).orElseThrow(),
                node.path("from_me").asBoolean(), new Sender(jid(sender.path("jid")), jid(sender.path("lid")),
                text(sender.path("push_name"))), Instant.parse(node.path("timestamp").asText()), status, body,
                quoted, mentions, jid(node.path("participant")), node.path("from_history").asBoolean(false),
                text(node.path("edited_at")).map(Instant::parse), node.path("revoked").asBoolean(false));
    }

    /** The body of a stored message object, read back from the fields {@link Message#wireForm()} wrote. */
    private static Message.Body body(JsonNode node) {
        if (node.path("undecryptable").asBoolean(false)) {
            return new Message.Undecryptable(node.path("type").asText());
        }
        var type = node.path("type").asText("text");
        var media = MediaType.fromWireName(type);
        if (media.isPresent()) {
            var m = node.path("media");
            var info = new MediaInfo(m.path("mime_type").asText("application/octet-stream"), text(m.path("file_name")),
                    m.hasNonNull("size") ? OptionalLong.of(m.path("size").asLong()) : OptionalLong.empty(),
                    text(m.path("sha256")), optionalInt(m.path("duration_s")), optionalInt(m.path("width")),
                    optionalInt(m.path("height")), text(m.path("url")), m.path("ptt").asBoolean(false),
                    m.path("gif").asBoolean(false), m.path("animated").asBoolean(false), text(m.path("error")),
                    waveform(m.path("waveform")), optionalInt(m.path("page_count")));
            return new Message.Media(media.get(), info, text(node.path("caption")),
                    node.path("view_once").asBoolean(false));
        }
        // a body past its retention keeps its type, not its content: it reads back as an empty text
        if (!node.has(switch (type) {
            case "location" -> "location";
            case "contact" -> "contacts";
            case "poll" -> "poll";
            default -> "type";
        })) {
            return new Message.Text("");
        }
        return switch (type) {
            case "location" -> {
                var l = node.path("location");
                yield new Message.Location(l.path("latitude").asDouble(), l.path("longitude").asDouble(),
                        text(l.path("name")), text(l.path("address")));
            }
            case "contact" -> {
                var cards = new ArrayList<ContactCard>();
                node.path("contacts").forEach(c -> {
                    var phones = new ArrayList<String>();
                    c.path("phones").forEach(p -> phones.add(p.asText()));
                    cards.add(new ContactCard(c.path("name").asText(""), phones, text(c.path("org")),
                            text(c.path("email"))));
                });
                yield cards.isEmpty() ? new Message.Text("") : new Message.Contacts(cards);
            }
            case "reaction" -> new Message.Reaction(new MessageId(node.path("reaction").path("message_id").asText()),
                    node.path("reaction").path("emoji").asText(""));
            case "poll" -> {
                var p = node.path("poll");
                yield new Message.Poll(p.path("question").asText(""), strings(p.path("options")),
                        p.path("multiple").asBoolean(false));
            }
            case "poll_vote" -> new Message.PollVote(new MessageId(node.path("poll_vote").path("message_id").asText()),
                    strings(node.path("poll_vote").path("options")));
            case "revoked" -> new Message.Revoked();
            default -> new Message.Text(node.path("text").asText(""));
        };
    }

    private static OptionalInt optionalInt(JsonNode node) {
        return node.isNumber() ? OptionalInt.of(node.asInt()) : OptionalInt.empty();
    }

    private static List<String> strings(JsonNode array) {
        var out = new ArrayList<String>();
        array.forEach(v -> out.add(v.asText()));
        return out;
    }

    String write(OutgoingStatus status) {
        var wire = new LinkedHashMap<String, Object>();
        wire.put("error", status.error().orElse(null));
        var members = new LinkedHashMap<String, String>();
        status.members().forEach((jid, reached) -> members.put(jid.toString(), reached.wireName()));
        wire.put("members", members);
        wire.put("history", status.history().stream().map(StatusChange::wireForm).toList());
        return write(wire);
    }

    OutgoingStatus outgoing(String text, MessageId id, Jid chat, MessageStatus status) {
        var node = tree(text);
        var members = new LinkedHashMap<Jid, MessageStatus>();
        node.path("members").properties().forEach(e -> members.put(Jid.parse(e.getKey()).orElseThrow(),
                status(e.getValue().asText())));
        var history = new ArrayList<StatusChange>();
        node.path("history").forEach(h -> history.add(new StatusChange(status(h.path("status").asText()),
                Instant.parse(h.path("at").asText()), jid(h.path("participant")), text(h.path("error")))));
        return new OutgoingStatus(id, chat, status, text(node.path("error")), members, history);
    }

    String write(OutgoingQueue.Send send) {
        var wire = new LinkedHashMap<String, Object>();
        wire.put("content", content(send.content()));
        send.quoted().ifPresent(q -> {
            var quote = new LinkedHashMap<String, Object>();
            quote.put("id", q.id().value());
            quote.put("sender", q.sender().toString());
            quote.put("text", q.text().orElse(null));
            wire.put("quoted", quote);
        });
        wire.put("mentions", send.mentions().stream().map(Jid::toString).toList());
        wire.put("verify", send.verify().stream().map(Jid::toString).toList());
        return write(wire);
    }

    OutgoingQueue.Send send(String text) {
        var node = tree(text);
        var quoted = node.hasNonNull("quoted") ? Optional.of(new MessagingPort.Quote(
                new MessageId(node.path("quoted").path("id").asText()),
                jid(node.path("quoted").path("sender")).orElseThrow(), text(node.path("quoted").path("text"))))
                : Optional.<MessagingPort.Quote>empty();
        // rows queued before sends had types carry text and link_preview at the top
        var content = node.has("content") ? content(node.path("content"))
                : new MessagingPort.WireContent.Text(node.path("text").asText(), node.path("link_preview").asBoolean(true));
        return new OutgoingQueue.Send(content, quoted, jids(node.path("mentions")), jids(node.path("verify")));
    }

    /**
     * A send's content as the queue's {@code send} column keeps it: {@code {kind, ...}} with the fields of its
     * variant. Media is not queued in this form (its intake stages the file and writes its own content).
     */
    private static Map<String, Object> content(MessagingPort.WireContent content) {
        var wire = new LinkedHashMap<String, Object>();
        switch (content) {
            case MessagingPort.WireContent.Text text -> {
                wire.put("kind", "text");
                wire.put("text", text.text());
                wire.put("link_preview", text.linkPreview());
            }
            case MessagingPort.WireContent.Location location -> {
                wire.put("kind", "location");
                var l = location.location();
                wire.put("latitude", l.latitude());
                wire.put("longitude", l.longitude());
                wire.put("name", l.name().orElse(null));
                wire.put("address", l.address().orElse(null));
            }
            case MessagingPort.WireContent.Contacts contacts -> {
                wire.put("kind", "contacts");
                wire.put("contacts", contacts.cards().stream().map(ContactCard::wireForm).toList());
            }
            case MessagingPort.WireContent.Reaction reaction -> {
                wire.put("kind", "reaction");
                wire.put("target", target(reaction.target()));
                wire.put("emoji", reaction.emoji());
            }
            case MessagingPort.WireContent.Poll poll -> {
                wire.put("kind", "poll");
                wire.put("question", poll.question());
                wire.put("options", poll.options());
                wire.put("multiple", poll.multiple());
            }
            case MessagingPort.WireContent.Edit edit -> {
                wire.put("kind", "edit");
                wire.put("target", edit.target().value());
                wire.put("text", edit.text());
            }
            case MessagingPort.WireContent.Revoke revoke -> {
                wire.put("kind", "revoke");
                wire.put("target", target(revoke.target()));
            }
            case MessagingPort.WireContent.Media media -> throw new IllegalArgumentException(
                    "an uploaded media message is sent at once, not queued");
            case MessagingPort.WireContent.StagedMedia staged -> {
                // the file itself is in the media store under the message's id; the row says how to present it
                wire.put("kind", "staged_media");
                wire.put("media_kind", staged.kind().name());
                wire.put("mime_type", staged.mimeType());
                wire.put("caption", staged.caption().orElse(null));
                wire.put("file_name", staged.fileName().orElse(null));
                wire.put("width", staged.width().isPresent() ? staged.width().getAsInt() : null);
                wire.put("height", staged.height().isPresent() ? staged.height().getAsInt() : null);
                wire.put("ptt", staged.ptt());
                wire.put("gif", staged.gif());
                wire.put("animated", staged.animated());
                wire.put("thumbnail", staged.thumbnail().map(t -> java.util.Base64.getEncoder().encodeToString(t))
                        .orElse(null));
                wire.put("duration_s", staged.durationS().isPresent() ? staged.durationS().getAsInt() : null);
                wire.put("waveform", staged.waveform().map(w -> java.util.Base64.getEncoder().encodeToString(w))
                        .orElse(null));
                wire.put("page_count", staged.pageCount().isPresent() ? staged.pageCount().getAsInt() : null);
            }
        }
        return wire;
    }

    private static Map<String, Object> target(MessagingPort.Target target) {
        var wire = new LinkedHashMap<String, Object>();
        wire.put("id", target.id().value());
        wire.put("from_me", target.fromMe());
        wire.put("participant", target.participant().map(Jid::toString).orElse(null));
        return wire;
    }

    private static MessagingPort.Target target(JsonNode node) {
        return new MessagingPort.Target(new MessageId(node.path("id").asText()), node.path("from_me").asBoolean(),
                jid(node.path("participant")));
    }

    private static MessagingPort.WireContent content(JsonNode node) {
        return switch (node.path("kind").asText()) {
            case "location" -> new MessagingPort.WireContent.Location(new Message.Location(
                    node.path("latitude").asDouble(), node.path("longitude").asDouble(), text(node.path("name")),
                    text(node.path("address"))));
            case "contacts" -> {
                var cards = new ArrayList<ContactCard>();
                node.path("contacts").forEach(c -> cards.add(new ContactCard(c.path("name").asText(),
                        strings(c.path("phones")), text(c.path("org")), text(c.path("email")))));
                yield new MessagingPort.WireContent.Contacts(cards);
            }
            case "reaction" -> new MessagingPort.WireContent.Reaction(target(node.path("target")),
                    node.path("emoji").asText(""));
            case "poll" -> new MessagingPort.WireContent.Poll(node.path("question").asText(),
                    strings(node.path("options")), node.path("multiple").asBoolean(false));
            case "edit" -> new MessagingPort.WireContent.Edit(new MessageId(node.path("target").asText()),
                    node.path("text").asText());
            case "revoke" -> new MessagingPort.WireContent.Revoke(target(node.path("target")));
            case "staged_media" -> new MessagingPort.WireContent.StagedMedia(
                    ponte.application.port.out.MediaTransferPort.MediaKind.valueOf(node.path("media_kind").asText()),
                    node.path("mime_type").asText(), text(node.path("caption")), text(node.path("file_name")),
                    node.path("width").isInt() ? java.util.OptionalInt.of(node.path("width").asInt())
                            : java.util.OptionalInt.empty(),
                    node.path("height").isInt() ? java.util.OptionalInt.of(node.path("height").asInt())
                            : java.util.OptionalInt.empty(),
                    node.path("ptt").asBoolean(false), node.path("gif").asBoolean(false),
                    node.path("animated").asBoolean(false), // absent from rows queued before it was kept
                    text(node.path("thumbnail")).map(t -> java.util.Base64.getDecoder().decode(t)),
                    optionalInt(node.path("duration_s")),
                    text(node.path("waveform")).map(w -> java.util.Base64.getDecoder().decode(w)),
                    optionalInt(node.path("page_count")));
            default -> new MessagingPort.WireContent.Text(node.path("text").asText(),
                    node.path("link_preview").asBoolean(true));
        };
    }

    /** A stored {@code media.waveform} (numbers 0–100); empty when absent or not a waveform. */
    private static Optional<ponte.domain.message.Waveform> waveform(JsonNode array) {
        if (!array.isArray() || array.isEmpty()) {
            return Optional.empty();
        }
        var samples = new byte[array.size()];
        for (int i = 0; i < samples.length; i++) {
            int value = array.get(i).asInt(-1);
            samples[i] = (byte) (value < 0 || value > 100 ? -1 : value);
        }
        return ponte.domain.message.Waveform.received(samples);
    }

    private static List<Jid> jids(JsonNode array) {
        var jids = new ArrayList<Jid>();
        array.forEach(j -> jid(j).ifPresent(jids::add));
        return jids;
    }

    private static Optional<Jid> jid(JsonNode node) {
        return text(node).flatMap(Jid::parse);
    }

    private static Optional<String> text(JsonNode node) {
        return node == null || node.isMissingNode() || node.isNull() ? Optional.empty() : Optional.of(node.asText());
    }
}
