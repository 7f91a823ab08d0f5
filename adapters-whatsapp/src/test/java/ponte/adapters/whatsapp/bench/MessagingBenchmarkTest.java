package ponte.adapters.whatsapp.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The messaging benchmark at a small N, on every build: it checks what the benchmark's figures rest on, never a
 * speed. Every message our engine sends (to two phones at once, from one instance) and Baileys sends arrives
 * decrypted at the recipient phone, with its text, once, in the order sent; every message two phones flood our
 * instance with is handed over decrypted, once, in order per sender; and the latencies are measured end to end.
 */
class MessagingBenchmarkTest {
    private static MessagingRig rig;
    private static MessagingLoad.Chat first;
    private static MessagingLoad.Chat second;

    @BeforeAll
    static void link() throws Exception {
        rig = new MessagingRig();
        String ours = rig.phone("5511870000001", "Ponte");
        var instance = rig.linkInstance(ours);
        first = new MessagingLoad.Chat(instance, ours, rig.phone("5511870000002", "Rita"));
        second = new MessagingLoad.Chat(instance, ours, rig.phone("5511870000003", "Saulo"));
    }

    @AfterAll
    static void close() throws Exception {
        if (rig != null) {
            rig.close();
        }
    }

    @Test
    void ourSendsArriveDecryptedInOrderPerChat() throws Exception {
        var result = MessagingLoad.sendOurs(rig, "small", List.of(first, second), 8);

        assertThat(result.problems()).isEmpty();
        assertThat(result.messages()).isEqualTo(16);
        assertThat(rig.inboxes().received(first.to())).extracting(m -> m.text())
                .containsSubsequence("small chat 0 message 0", "small chat 0 message 7");
        assertThat(result.latency().p50()).isPositive();
        assertThat(result.ack().p99()).isPositive().isLessThanOrEqualTo(result.latency().max());
    }

    @Test
    void aFloodOfPhoneMessagesIsHandedOverDecryptedInOrderPerSender() throws Exception {
        var peers = List.of(rig.phone("5511870000011", "Tito"), rig.phone("5511870000012", "Ugo"));

        var result = MessagingLoad.floodOurs(rig, "flood", first.from(), peers, 8);

        assertThat(result.problems()).isEmpty();
        assertThat(result.messages()).isEqualTo(16);
        assertThat(rig.handedOverFrom(peers.getFirst() + "@s.whatsapp.net")).hasSize(8);
        assertThat(result.latency().max()).isPositive();
    }

    @Test
    void baileysSendsThroughTheSameSandboxArriveInOrder() throws Exception {
        String phone = rig.phone("5511870000021", "Vera");
        String recipient = rig.phone("5511870000022", "Wagner");
        String session = rig.linkBaileys(phone);

        var result = MessagingLoad.sendBaileys(rig, "baileys", session, phone, recipient, 6);

        assertThat(result.problems()).isEmpty();
        assertThat(rig.inboxes().received(recipient)).extracting(m -> m.text())
                .containsExactly("baileys message 0", "baileys message 1", "baileys message 2", "baileys message 3",
                        "baileys message 4", "baileys message 5");
        assertThat(result.latency().p50()).isPositive();
    }
}
