package ponte.domain.message;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import ponte.domain.event.EventEnvelope;
import ponte.domain.event.EventType;

class MessageTest {
    private static final MessageId ID = new MessageId("3A1B2C3D4E5F60718293");
    private static final Jid ANA_PN = Jid.phone("5511987654321");
    private static final Jid ANA_LID = Jid.lid("111111111111111");
    private static final Jid GROUP = Jid.group("120363025246125486");
    private static final Instant AT = Instant.parse("2026-01-01T12:00:00Z");

    private static Message received(Jid chat, Optional<Jid> participant, Message.Body body) {
        return new Message(ID, chat, false, Sender.of(ANA_LID, Optional.of(ANA_PN), Optional.of("Ana")), AT,
                MessageStatus.DELIVERED, body, Optional.empty(), List.of(), participant, false);
    }

    @Test
    void aReceivedTextIsAReceivedExchangeWithTheMessageObjectOfTheContract() {
        var data = MessageExchanged.of(received(ANA_LID, Optional.empty(), new Message.Text("oi"))).data();
        assertThat(data).containsEntry("type", "received");
        @SuppressWarnings("unchecked")
        var message = (Map<String, Object>) data.get("message");
        assertThat(message.keySet()).map(Object::toString).containsExactly("id", "chat_jid", "from_me", "sender",
                "timestamp", "type", "status", "text", "is_group");
        assertThat(message).containsEntry("id", "3A1B2C3D4E5F60718293").containsEntry("chat_jid",
                "111111111111111@lid").containsEntry("from_me", false).containsEntry("timestamp",
                "2026-01-01T12:00:00Z").containsEntry("type", "text").containsEntry("status", "delivered")
                .containsEntry("text", "oi").containsEntry("is_group", false);
        assertThat(message.get("sender")).isEqualTo(Map.of("jid", "5511987654321@s.whatsapp.net",
                "lid", "111111111111111@lid", "push_name", "Ana"));
    }

    @Test
    void aStatusUpdateIsPostedToStatusBroadcastByItsParticipantAndIsNoGroup() {
        var status = Jid.parse("status@broadcast").orElseThrow();
        var update = received(status, Optional.of(ANA_PN), new Message.Text("bom dia"));
        assertThat(update.isStatus()).isTrue();
        assertThat(update.isGroup()).isFalse();
        assertThat(update.wireForm()).containsEntry("chat_jid", "status@broadcast")
                .containsEntry("participant", "5511987654321@s.whatsapp.net").containsEntry("is_group", false);
        assertThatThrownBy(() -> received(status, Optional.empty(), new Message.Text("x")))
                .as("a status update names its author").isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> received(Jid.parse("1234567890@broadcast").orElseThrow(), Optional.of(ANA_PN),
                new Message.Text("x"))).as("a broadcast list is no chat").isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aSenderKnownByOneNameOnlyShowsTheOtherAsNull() {
        var wire = Sender.of(Jid.parse("5511987654321:4@s.whatsapp.net").orElseThrow(), Optional.empty(),
                Optional.empty()).wireForm();
        var expected = new HashMap<String, Object>();
        expected.put("jid", "5511987654321@s.whatsapp.net");
        expected.put("lid", null);
        expected.put("push_name", null);
        assertThat(wire).isEqualTo(expected);
        assertThatThrownBy(() -> Sender.of(ANA_LID, Optional.of(Jid.lid("2")), Optional.empty()))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Sender.of(GROUP, Optional.empty(), Optional.empty()))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void ourOwnGroupReplyIsASentExchangeWithParticipantQuoteAndMentions() {
        var me = Jid.phone("14155552671");
        var message = new Message(new MessageId("3EB0DDE9DB2014B50A459C"), GROUP, true,
                Sender.of(me, Optional.empty(), Optional.empty()), AT, MessageStatus.READ,
                new Message.Text("@ana sim"), Optional.of(new Message.Quoted(ID, ANA_LID)), List.of(ANA_LID),
                Optional.of(Jid.parse("14155552671:3@s.whatsapp.net").orElseThrow()), true);
        var data = MessageExchanged.of(message).data();
        assertThat(data).containsEntry("type", "sent");
        @SuppressWarnings("unchecked")
        var wire = (Map<String, Object>) data.get("message");
        assertThat(wire).containsEntry("is_group", true).containsEntry("participant", "14155552671@s.whatsapp.net")
                .containsEntry("status", "read").containsEntry("mentions", List.of("111111111111111@lid"))
                .containsEntry("quoted", Map.of("id", "3A1B2C3D4E5F60718293", "sender", "111111111111111@lid"))
                .containsEntry("from_history", true);
    }

    @Test
    void anUndecryptableMessageIsAnnouncedNotDropped() {
        var wire = received(ANA_LID, Optional.empty(), new Message.Undecryptable("text")).wireForm();
        assertThat(wire).containsEntry("undecryptable", true).containsEntry("type", "text").doesNotContainKey("text");
    }

    @Test
    void theParticipantGoesWithGroupsOnly() {
        assertThatThrownBy(() -> received(GROUP, Optional.empty(), new Message.Text("x")))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> received(ANA_LID, Optional.of(ANA_LID), new Message.Text("x")))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(received(GROUP, Optional.of(ANA_LID), new Message.Text("x")).isGroup()).isTrue();
    }

    @Test
    void theKindMustMatchWhoWroteTheMessage() {
        var theirs = received(ANA_LID, Optional.empty(), new Message.Text("x"));
        assertThatThrownBy(() -> new MessageExchanged(MessageExchanged.Kind.SENT, theirs))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Message(ID, ANA_LID, false, theirs.sender(), AT, MessageStatus.QUEUED,
                theirs.body(), Optional.empty(), List.of(), Optional.empty(), false))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void bothEventDataShapesFitTheEnvelope() {
        var exchange = new EventEnvelope(UUID.randomUUID(), EventType.MESSAGE_EXCHANGE, UUID.randomUUID(),
                UUID.randomUUID(), "sales", AT,
                MessageExchanged.of(received(ANA_LID, Optional.empty(), new Message.Text("oi"))).data());
        assertThat(((Map<?, ?>) exchange.wireForm().get("data")).keySet()).map(Object::toString)
                .containsExactly("type", "message");
        var status = OutgoingStatus.queued(ID, ANA_LID, AT).acked(AT.plusSeconds(1)).events().getFirst();
        var envelope = new EventEnvelope(UUID.randomUUID(), EventType.MESSAGE_STATUS, UUID.randomUUID(),
                UUID.randomUUID(), "sales", status.at(), status.data());
        assertThat(((Map<?, ?>) envelope.wireForm().get("data")).keySet()).map(Object::toString)
                .containsExactly("type", "chat_jid", "message_id", "status");
    }
}
