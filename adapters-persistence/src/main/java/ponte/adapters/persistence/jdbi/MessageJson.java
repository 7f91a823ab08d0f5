package ponte.adapters.persistence.jdbi;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import ponte.application.port.out.MessagingPort;
import ponte.application.port.out.OutgoingQueue;
import ponte.domain.message.Jid;
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
        Message.Body body = node.path("undecryptable").asBoolean(false)
                ? new Message.Undecryptable(node.path("type").asText())
                : new Message.Text(node.path("text").asText(""));
        var quoted = node.hasNonNull("quoted") ? Optional.of(new Message.Quoted(
                new MessageId(node.path("quoted").path("id").asText()), jid(node.path("quoted").path("sender"))
                .orElseThrow())) : Optional.<Message.Quoted>empty();
        var mentions = new ArrayList<Jid>();
        node.path("mentions").forEach(m -> jid(m).ifPresent(mentions::add));
        return new Message(new MessageId(node.path("id").asText()), Jid.parse(chatJid).orElseThrow(),
                node.path("from_me").asBoolean(), new Sender(jid(sender.path("jid")), jid(sender.path("lid")),
                text(sender.path("push_name"))), Instant.parse(node.path("timestamp").asText()), status, body,
                quoted, mentions, jid(node.path("participant")), node.path("from_history").asBoolean(false));
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
        wire.put("text", send.text());
        wire.put("link_preview", send.linkPreview());
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
        return new OutgoingQueue.Send(node.path("text").asText(), node.path("link_preview").asBoolean(true), quoted,
                jids(node.path("mentions")), jids(node.path("verify")));
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
