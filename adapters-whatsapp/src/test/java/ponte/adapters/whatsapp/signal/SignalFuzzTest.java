package ponte.adapters.whatsapp.signal;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import ponte.adapters.whatsapp.fuzz.NetworkInput;
import ponte.adapters.whatsapp.fuzz.Seeds;

/**
 * Coverage-guided fuzzing of Signal message parsing (issue 17 item 3): a {@code pkmsg}, {@code msg}, sender key
 * distribution message or {@code skmsg} from the network either decrypts or fails with {@link SignalException}.
 * Bob holds a session with Alice and Alice's sender key for a group, so a mutated message reaches past the version
 * byte and the protobuf into the ratchet, the chain and the MAC and signature checks.
 */
class SignalFuzzTest {

    private static final SignalAddress ALICE = SignalAddress.of("5511900000001", 0);
    private static final SignalAddress BOB = SignalAddress.of("5511900000002", 0);
    private static final SenderKeyName ALICE_KEY = new SenderKeyName("120363000000000001@g.us", ALICE);
    private static final JavaParty alice = new JavaParty();
    private static final JavaParty bob = new JavaParty();
    private static final byte[] PKMSG;
    private static final byte[] MSG;
    private static final byte[] SKDM;
    private static final byte[] SKMSG;

    static {
        try {
            alice.sessions.process(BOB, bob.bundle(0));
            PKMSG = alice.sessions.encrypt(BOB, text("hi")).body();
            bob.sessions.decrypt(ALICE, MessageType.PKMSG, PKMSG);
            alice.sessions.decrypt(BOB, MessageType.MSG, bob.sessions.encrypt(ALICE, text("hello")).body());
            MSG = alice.sessions.encrypt(BOB, text("how are you")).body();
            SKDM = alice.groups.distributionMessage(ALICE_KEY);
            bob.groups.process(ALICE_KEY, SKDM);
            SKMSG = alice.groups.encrypt(ALICE_KEY, text("hi all"));
        } catch (SignalException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    @FuzzTest(maxDuration = "90s")
    void pkmsg(byte[] body) {
        // a fresh Bob for every pkmsg would cost a key generation per input; a pkmsg that decrypts is a new session
        // from someone, which the next input may meet: that is what the network does too
        NetworkInput.decodes(body.length, () -> bob.sessions.decrypt(ALICE, MessageType.PKMSG, body),
                SignalException.class);
    }

    @FuzzTest(maxDuration = "90s")
    void msg(byte[] body) {
        NetworkInput.decodes(body.length, () -> bob.sessions.decrypt(ALICE, MessageType.MSG, body),
                SignalException.class);
    }

    @FuzzTest(maxDuration = "90s")
    void senderKeyDistribution(byte[] body) {
        SenderKeyName name = new SenderKeyName("120363000000000002@g.us", ALICE);
        NetworkInput.decodes(body.length, () -> bob.groups.process(name, body), SignalException.class);
    }

    @FuzzTest(maxDuration = "90s")
    void skmsg(byte[] body) {
        NetworkInput.decodes(body.length, () -> bob.groups.decrypt(ALICE_KEY, body), SignalException.class);
    }

    /** The real messages the targets start from decrypt (a target that rejected everything would fuzz nothing). */
    @Test
    void seedsAreRealMessages() throws SignalException {
        Seeds.write(SignalFuzzTest.class, "pkmsg", PKMSG);
        Seeds.write(SignalFuzzTest.class, "msg", MSG);
        Seeds.write(SignalFuzzTest.class, "senderKeyDistribution", SKDM);
        Seeds.write(SignalFuzzTest.class, "skmsg", SKMSG);
        var fresh = new JavaParty();
        var sender = new JavaParty();
        sender.sessions.process(BOB, fresh.bundle(1));
        byte[] first = sender.sessions.encrypt(BOB, text("first")).body();
        assertThat(new String(fresh.sessions.decrypt(ALICE, MessageType.PKMSG, first).plaintext(), StandardCharsets.UTF_8)).isEqualTo("first");
        SenderKeyName name = new SenderKeyName("120363000000000003@g.us", ALICE);
        fresh.groups.process(name, SKDM);
        assertThat(new String(fresh.groups.decrypt(name, SKMSG), StandardCharsets.UTF_8))
                .isEqualTo("hi all");
    }

    private static byte[] text(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
