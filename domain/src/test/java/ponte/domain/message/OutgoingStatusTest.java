package ponte.domain.message;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static ponte.domain.message.MessageStatus.DELIVERED;
import static ponte.domain.message.MessageStatus.FAILED;
import static ponte.domain.message.MessageStatus.PLAYED;
import static ponte.domain.message.MessageStatus.QUEUED;
import static ponte.domain.message.MessageStatus.READ;
import static ponte.domain.message.MessageStatus.SENT;

import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

class OutgoingStatusTest {
    private static final MessageId ID = new MessageId("3EB0DDE9DB2014B50A459C");
    private static final Jid CHAT = Jid.lid("123456789012345");
    private static final Jid GROUP = Jid.group("120363025246125486");
    private static final Jid ANA = Jid.lid("111111111111111");
    private static final Jid BIA = Jid.lid("222222222222222");
    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

    private static Instant t(int seconds) {
        return T0.plusSeconds(seconds);
    }

    @Test
    void aMessageMovesThroughEveryStatusAndEachStepIsAnEventAndAHistoryLine() {
        var state = OutgoingStatus.queued(ID, CHAT, T0);
        var sent = state.acked(t(1));
        var delivered = sent.state().receipt(DELIVERED, null, t(2));
        var read = delivered.state().receipt(READ, null, t(3));
        var played = read.state().receipt(PLAYED, null, t(4));
        assertThat(played.state().status()).isEqualTo(PLAYED);
        assertThat(played.state().history()).extracting(StatusChange::status)
                .containsExactly(QUEUED, SENT, DELIVERED, READ, PLAYED);
        assertThat(played.state().history()).extracting(StatusChange::at).containsExactly(T0, t(1), t(2), t(3), t(4));
        assertThat(sent.events().getFirst().data()).isEqualTo(Map.of("type", "sent",
                "message_id", "3EB0DDE9DB2014B50A459C", "chat_jid", "123456789012345@lid", "status", "sent"));
        assertThat(read.events().getFirst().at()).isEqualTo(t(3));
    }

    @Test
    void aReadBeforeDeliveredSkipsAheadAndTheLateOnesChangeNothing() {
        var read = OutgoingStatus.queued(ID, CHAT, T0).acked(t(1)).state().receipt(READ, null, t(2));
        assertThat(read.state().status()).isEqualTo(READ);
        assertThat(read.events()).extracting(MessageStatusChanged::status).containsExactly(READ);
        var lateDelivered = read.state().receipt(DELIVERED, null, t(3));
        assertThat(lateDelivered.moved()).isFalse();
        assertThat(lateDelivered.state().history()).extracting(StatusChange::status)
                .containsExactly(QUEUED, SENT, READ);
    }

    @Test
    void aReceiptThatOvertakesTheAckAnnouncesSentFirstAndTheLateAckChangesNothing() {
        var read = OutgoingStatus.queued(ID, CHAT, T0).receipt(READ, null, t(1));
        assertThat(read.state().status()).isEqualTo(READ);
        assertThat(read.events()).extracting(MessageStatusChanged::status).containsExactly(SENT, READ);
        var lateAck = read.state().acked(t(2));
        assertThat(lateAck.moved()).isFalse();
        assertThat(lateAck.state()).isEqualTo(read.state());
        assertThat(lateAck.state().history()).extracting(StatusChange::status).containsExactly(QUEUED, SENT, READ);
    }

    @Test
    void inAGroupAMemberReceiptBeforeTheAckAlsoRecordsSentFirst() {
        var delivered = OutgoingStatus.queued(ID, GROUP, T0).receipt(DELIVERED, ANA, t(1));
        assertThat(delivered.events()).extracting(MessageStatusChanged::status).containsExactly(SENT, DELIVERED);
        assertThat(delivered.events().get(1).participant()).contains(ANA);
        assertThat(delivered.state().members()).containsExactlyEntriesOf(Map.of(ANA, DELIVERED));
    }

    @Test
    void aRepeatedReceiptChangesNothing() {
        var delivered = OutgoingStatus.queued(ID, CHAT, T0).acked(t(1)).state().receipt(DELIVERED, null, t(2));
        var again = delivered.state().receipt(DELIVERED, null, t(5));
        assertThat(again.moved()).isFalse();
        assertThat(again.state()).isSameAs(delivered.state());
        assertThat(delivered.state().acked(t(6)).moved()).isFalse();
    }

    @Test
    void aFailureCarriesItsReasonAndIsFinal() {
        var failed = OutgoingStatus.queued(ID, CHAT, T0).failed("server refused the message (463)", t(1));
        assertThat(failed.state().status()).isEqualTo(FAILED);
        assertThat(failed.state().error()).contains("server refused the message (463)");
        assertThat(failed.events().getFirst().data()).containsEntry("type", "failed").containsEntry("status",
                "failed").containsEntry("error", "server refused the message (463)");
        assertThat(failed.state().history().getLast().wireForm()).isEqualTo(Map.of("status", "failed",
                "at", "2026-01-01T00:00:01Z", "error", "server refused the message (463)"));
        assertThat(failed.state().acked(t(2)).moved()).isFalse();
        assertThat(failed.state().receipt(DELIVERED, null, t(2)).moved()).isFalse();
        assertThat(failed.state().failed("again", t(3)).moved()).isFalse();
    }

    @Test
    void aMessageTheServerAckedCannotFailAfterwards() {
        var sent = OutgoingStatus.queued(ID, CHAT, T0).acked(t(1)).state();
        var change = sent.failed("timeout", t(2));
        assertThat(change.moved()).isFalse();
        assertThat(change.state().status()).isEqualTo(SENT);
        assertThatThrownBy(() -> sent.failed(" ", t(2))).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void onlyReceiptStatusesCanComeFromAReceipt() {
        var queued = OutgoingStatus.queued(ID, CHAT, T0);
        assertThatThrownBy(() -> queued.receipt(SENT, null, t(1))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> queued.receipt(FAILED, null, t(1))).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void inAGroupEachMemberMovesOnTheirOwnAndTheMessageShowsTheFurthest() {
        var sent = OutgoingStatus.queued(ID, GROUP, T0).acked(t(1)).state();
        var anaDelivered = sent.receipt(DELIVERED, ANA, t(2));
        var biaDelivered = anaDelivered.state().receipt(DELIVERED, BIA, t(3));
        var anaFromHerLaptop = biaDelivered.state().receipt(DELIVERED, new Jid(ANA.user(), 0, 2, "lid"), t(4));
        var anaRead = anaFromHerLaptop.state().receipt(READ, ANA, t(5));
        var biaLateDelivered = anaRead.state().receipt(DELIVERED, BIA, t(6));

        assertThat(biaDelivered.moved()).isTrue();
        assertThat(biaDelivered.events().getFirst().data()).containsEntry("participant", "222222222222222@lid")
                .containsEntry("chat_jid", "120363025246125486@g.us").containsEntry("status", "delivered");
        assertThat(anaFromHerLaptop.moved()).isFalse();
        assertThat(biaLateDelivered.moved()).isFalse();
        var state = biaLateDelivered.state();
        assertThat(state.status()).isEqualTo(READ);
        assertThat(state.members()).containsExactlyInAnyOrderEntriesOf(Map.of(ANA, READ, BIA, DELIVERED));
        assertThat(state.history()).extracting(StatusChange::status).containsExactly(QUEUED, SENT, DELIVERED,
                DELIVERED, READ);
        assertThat(state.history().get(3).participant()).contains(BIA);
    }

    @Test
    void aReceiptFromAMemberBehindTheMessageStillCountsForThatMember() {
        var anaRead = OutgoingStatus.queued(ID, GROUP, T0).acked(t(1)).state().receipt(READ, ANA, t(2));
        var biaDelivered = anaRead.state().receipt(DELIVERED, BIA, t(3));
        assertThat(biaDelivered.moved()).isTrue();
        assertThat(biaDelivered.state().status()).isEqualTo(READ);
    }
}
