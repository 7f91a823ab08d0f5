package ponte.adapters.whatsapp.signal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import ponte.adapters.whatsapp.signal.SignalException.Reason;

/** Sender keys between parties of our own: the edge cases the oracle test does not reach. */
class GroupCipherTest {

    private static final String GROUP = "120363000000000001@g.us";
    private static final SenderKeyName ALICE_KEY = new SenderKeyName(GROUP, SignalAddress.of("5511900000001", 0));

    private final JavaParty alice = new JavaParty();
    private final JavaParty bob = new JavaParty();

    @Test
    void outOfOrderMessagesDecryptOnceAndFarFutureOnesAreRefused() throws Exception {
        bob.groups.process(ALICE_KEY, alice.groups.distributionMessage(ALICE_KEY));
        List<byte[]> sent = new ArrayList<>();
        for (int i = 0; i < 2003; i++) {
            sent.add(alice.groups.encrypt(ALICE_KEY, text("g" + i)));
        }
        assertThatThrownBy(() -> bobReads(sent.get(2001))).isInstanceOf(SignalException.class)
                .extracting(e -> ((SignalException) e).reason()).isEqualTo(Reason.TOO_FAR_AHEAD);

        for (int i : new int[] {5, 0, 1999, 3, 2001, 2000, 4}) {
            assertThat(bobReads(sent.get(i))).isEqualTo("g" + i);
        }
        for (int i : new int[] {5, 2001}) {
            assertThatThrownBy(() -> bobReads(sent.get(i))).isInstanceOf(SignalException.class)
                    .extracting(e -> ((SignalException) e).reason()).isEqualTo(Reason.DUPLICATE);
        }
    }

    @Test
    void aLateMemberStartsAtTheIterationOfItsDistributionMessage() throws Exception {
        byte[] early = alice.groups.distributionMessage(ALICE_KEY);
        byte[] before = alice.groups.encrypt(ALICE_KEY, text("before"));
        byte[] late = alice.groups.distributionMessage(ALICE_KEY);
        byte[] after = alice.groups.encrypt(ALICE_KEY, text("after"));

        bob.groups.process(ALICE_KEY, late);
        assertThat(bobReads(after)).isEqualTo("after");
        assertThatThrownBy(() -> bobReads(before)).isInstanceOf(SignalException.class)
                .extracting(e -> ((SignalException) e).reason()).isEqualTo(Reason.DUPLICATE);
        // the same key again (an SKDM resent with a retry) does not rewind the chain
        bob.groups.process(ALICE_KEY, early);
        assertThatThrownBy(() -> bobReads(after)).isInstanceOf(SignalException.class)
                .extracting(e -> ((SignalException) e).reason()).isEqualTo(Reason.DUPLICATE);
        assertThat(early).isNotEqualTo(late);
    }

    @Test
    void aForgedOrUnknownSenderKeyMessageIsRefusedWithoutState() throws Exception {
        bob.groups.process(ALICE_KEY, alice.groups.distributionMessage(ALICE_KEY));
        byte[] message = alice.groups.encrypt(ALICE_KEY, text("signed"));
        byte[] stored = bob.store.senderKey(ALICE_KEY).orElseThrow().serialize();

        for (int at : new int[] {3, message.length / 2, message.length - 1}) {
            byte[] forged = message.clone();
            forged[at] ^= 1;
            assertThatThrownBy(() -> bob.groups.decrypt(ALICE_KEY, forged)).isInstanceOf(SignalException.class);
        }
        assertThat(bob.store.senderKey(ALICE_KEY).orElseThrow().serialize()).isEqualTo(stored);
        assertThat(bobReads(message)).isEqualTo("signed");

        SenderKeyName carol = new SenderKeyName(GROUP, SignalAddress.of("5511900000003", 0));
        assertThatThrownBy(() -> bob.groups.decrypt(carol, message)).isInstanceOf(SignalException.class)
                .extracting(e -> ((SignalException) e).reason()).isEqualTo(Reason.NO_SESSION);
        assertThatThrownBy(() -> bob.groups.encrypt(ALICE_KEY, text("not mine"))).isInstanceOf(
                SignalException.class).extracting(e -> ((SignalException) e).reason()).isEqualTo(Reason.NO_SESSION);
    }

    @Test
    void aNewSenderKeyFromTheSameSenderIsTakenAlongsideTheOld() throws Exception {
        bob.groups.process(ALICE_KEY, alice.groups.distributionMessage(ALICE_KEY));
        byte[] old = alice.groups.encrypt(ALICE_KEY, text("old key"));
        // Alice rotates (e.g. a member left): a fresh record, a new key id
        JavaParty rotated = alice;
        rotated.store.storeSenderKey(ALICE_KEY, SenderKeyRecord.empty());
        bob.groups.process(ALICE_KEY, rotated.groups.distributionMessage(ALICE_KEY));
        byte[] fresh = rotated.groups.encrypt(ALICE_KEY, text("new key"));

        assertThat(bobReads(fresh)).isEqualTo("new key");
        assertThat(bobReads(old)).isEqualTo("old key");
        assertThat(SenderKeyRecord.parse(bob.store.senderKey(ALICE_KEY).orElseThrow().serialize()).states())
                .hasSize(2);
    }

    private String bobReads(byte[] message) throws SignalException {
        return new String(bob.groups.decrypt(ALICE_KEY, message), StandardCharsets.UTF_8);
    }

    private static byte[] text(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
