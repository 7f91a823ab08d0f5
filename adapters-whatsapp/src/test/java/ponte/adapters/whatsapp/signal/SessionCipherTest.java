package ponte.adapters.whatsapp.signal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import ponte.adapters.whatsapp.signal.SignalException.Reason;

/** Our 1:1 sessions between two parties of our own: the edge cases the oracle test does not reach. */
class SessionCipherTest {

    private static final SignalAddress ALICE = SignalAddress.of("5511900000001", 0);
    private static final SignalAddress BOB = new SignalAddress("987654321", 1, 2);

    private final JavaParty alice = new JavaParty();
    private final JavaParty bob = new JavaParty();

    @Test
    void aSessionRunsThroughManyTurnsAndSurvivesItsByteForm() throws Exception {
        alice.sessions.process(BOB, bob.bundle(0));
        Encrypted first = alice.sessions.encrypt(BOB, text("hi"));
        assertThat(first.type()).isEqualTo(MessageType.PKMSG);
        assertThat(alice.store.session(BOB).orElseThrow().awaitingReply()).isTrue();
        assertThat(bobReads(first)).isEqualTo("hi");

        for (int turn = 0; turn < 6; turn++) {
            for (int i = 0; i < 1 + turn % 3; i++) {
                assertThat(aliceReads(bob.sessions.encrypt(ALICE, text("b" + turn + i)))).isEqualTo("b" + turn + i);
            }
            for (int i = 0; i < 1 + (turn + 1) % 3; i++) {
                Encrypted message = alice.sessions.encrypt(BOB, text("a" + turn + i));
                assertThat(message.type()).isEqualTo(MessageType.MSG);
                assertThat(bobReads(message)).isEqualTo("a" + turn + i);
            }
        }
        SessionRecord record = alice.store.session(BOB).orElseThrow();
        assertThat(SessionRecord.parse(record.serialize()).serialize()).isEqualTo(record.serialize());
        assertThat(record.awaitingReply()).isFalse();
        assertThat(record.remoteIdentity()).contains(bob.identity());
        assertThat(record.remoteRegistrationId()).contains(bob.store.registrationId());
    }

    @Test
    void skippedKeysAreKeptUpToTwoThousandAndNoFurther() throws Exception {
        establish();
        List<Encrypted> sent = new ArrayList<>();
        for (int i = 0; i < 2002; i++) {
            sent.add(alice.sessions.encrypt(BOB, text("m" + i)));
        }
        assertThatThrownBy(() -> bobReads(sent.get(2001))).isInstanceOf(SignalException.class)
                .extracting(e -> ((SignalException) e).reason()).isEqualTo(Reason.TOO_FAR_AHEAD);

        assertThat(bobReads(sent.get(1999))).isEqualTo("m1999");
        assertThat(bobReads(sent.get(0))).isEqualTo("m0");
        assertThat(bobReads(sent.get(1000))).isEqualTo("m1000");
        assertThat(bobReads(sent.get(2001))).isEqualTo("m2001");
        assertThat(bobReads(sent.get(2000))).isEqualTo("m2000");
        assertThatThrownBy(() -> bobReads(sent.get(1000))).isInstanceOf(SignalException.class)
                .extracting(e -> ((SignalException) e).reason()).isEqualTo(Reason.DUPLICATE);
    }

    @Test
    void lateMessagesOfAnOlderChainDecryptAfterTheRatchetTurned() throws Exception {
        establish();
        Encrypted late = alice.sessions.encrypt(BOB, text("late"));
        Encrypted onTime = alice.sessions.encrypt(BOB, text("on time"));
        assertThat(bobReads(onTime)).isEqualTo("on time");
        for (int turn = 0; turn < 3; turn++) {
            aliceReads(bob.sessions.encrypt(ALICE, text("turn")));
            bobReads(alice.sessions.encrypt(BOB, text("turn")));
        }
        assertThat(bobReads(late)).isEqualTo("late");
    }

    @Test
    void aLateMessageFarAlongAnArchivedSessionStillDecrypts() throws Exception {
        establish();
        List<Encrypted> sent = new ArrayList<>();
        for (int i = 0; i < 2050; i++) {
            sent.add(alice.sessions.encrypt(BOB, text("m" + i)));
        }
        bobReads(sent.get(1500));
        bobReads(sent.get(2040));
        // Alice starts over from a fresh bundle; Bob's old session is archived by her pkmsg
        alice.sessions.process(BOB, bob.bundle(1));
        assertThat(bobReads(alice.sessions.encrypt(BOB, text("new session")))).isEqualTo("new session");

        assertThat(bobReads(sent.get(2045))).isEqualTo("m2045");
        assertThat(bobReads(sent.get(100))).isEqualTo("m100");
        // 2,039 keys were skipped on that chain: the oldest were dropped to keep 2,000
        assertThatThrownBy(() -> bobReads(sent.get(10))).isInstanceOf(SignalException.class)
                .extracting(e -> ((SignalException) e).reason()).isEqualTo(Reason.DUPLICATE);
    }

    @Test
    void aTamperedMessageIsRefusedAndChangesNothing() throws Exception {
        establish();
        Encrypted message = alice.sessions.encrypt(BOB, text("intact"));
        byte[] before = bob.store.session(ALICE).orElseThrow().serialize();
        for (int at : new int[] {1, message.body().length / 2, message.body().length - 1}) {
            byte[] tampered = message.body();
            tampered[at] ^= 0x40;
            assertThatThrownBy(() -> bob.sessions.decrypt(ALICE, MessageType.MSG, tampered))
                    .isInstanceOf(SignalException.class);
            assertThat(bob.store.session(ALICE).orElseThrow().serialize()).isEqualTo(before);
        }
        assertThat(bobReads(message)).isEqualTo("intact");
    }

    @Test
    void aRedeliveredPkmsgIsADuplicateAndConsumesTheOneTimePrekeyOnce() throws Exception {
        alice.sessions.process(BOB, bob.bundle(5));
        Encrypted first = alice.sessions.encrypt(BOB, text("first"));
        Encrypted second = alice.sessions.encrypt(BOB, text("second"));

        Decrypted got = bob.sessions.decrypt(ALICE, first.type(), first.body());
        assertThat(got.consumedPreKeyId()).hasValue(105);
        assertThat(bob.store.preKey(105)).isEmpty();
        // the second pkmsg names the same, now removed, prekey: it reuses the session set up by the first
        assertThat(bobReads(second)).isEqualTo("second");
        assertThatThrownBy(() -> bobReads(first)).isInstanceOf(SignalException.class)
                .extracting(e -> ((SignalException) e).reason()).isEqualTo(Reason.DUPLICATE);
    }

    @Test
    void aPkmsgForAnUnknownPrekeyIsRefusedWithoutState() throws Exception {
        alice.sessions.process(BOB, bob.bundle(6));
        bob.store.removePreKey(106);

        assertThatThrownBy(() -> bobReads(alice.sessions.encrypt(BOB, text("x")))).isInstanceOf(SignalException.class)
                .extracting(e -> ((SignalException) e).reason()).isEqualTo(Reason.UNKNOWN_PRE_KEY);
        assertThat(bob.store.session(ALICE)).isEmpty();
        assertThat(bob.store.identity(ALICE)).isEmpty();
    }

    @Test
    void withoutASessionThereIsNothingToEncryptOrDecrypt() throws Exception {
        assertThatThrownBy(() -> alice.sessions.encrypt(BOB, text("x"))).isInstanceOf(SignalException.class)
                .extracting(e -> ((SignalException) e).reason()).isEqualTo(Reason.NO_SESSION);
        establish();
        Encrypted message = alice.sessions.encrypt(BOB, text("x"));
        JavaParty stranger = new JavaParty();
        assertThatThrownBy(() -> stranger.sessions.decrypt(ALICE, MessageType.MSG, message.body()))
                .isInstanceOf(SignalException.class)
                .extracting(e -> ((SignalException) e).reason()).isEqualTo(Reason.NO_SESSION);
        assertThatThrownBy(() -> bob.sessions.decrypt(ALICE, MessageType.MSG, new byte[] {0x33, 1, 2}))
                .isInstanceOf(SignalException.class)
                .extracting(e -> ((SignalException) e).reason()).isEqualTo(Reason.INVALID_MESSAGE);
        byte[] version2 = message.body();
        version2[0] = 0x22;
        assertThatThrownBy(() -> bob.sessions.decrypt(ALICE, MessageType.MSG, version2))
                .isInstanceOf(SignalException.class)
                .extracting(e -> ((SignalException) e).reason()).isEqualTo(Reason.INVALID_MESSAGE);
    }

    @Test
    void aSmallOrderRatchetKeyIsAnInvalidMessageNotACrash() throws Exception {
        establish();
        byte[] proto = ponte.adapters.whatsapp.signal.proto.SignalProto.WhisperMessage.newBuilder()
                .setRatchetKey(com.google.protobuf.ByteString.copyFrom(Keys.prefixed(new byte[32])))
                .setCounter(0).setPreviousCounter(0)
                .setCiphertext(com.google.protobuf.ByteString.copyFrom(new byte[16])).build().toByteArray();
        byte[] body = ponte.adapters.whatsapp.crypto.Bytes.concat(new byte[] {0x33}, proto, new byte[8]);

        assertThatThrownBy(() -> bob.sessions.decrypt(ALICE, MessageType.MSG, body))
                .isInstanceOf(SignalException.class)
                .extracting(e -> ((SignalException) e).reason()).isEqualTo(Reason.INVALID_MESSAGE);
    }

    @Test
    void bothSidesInitiatingAtOnceConverge() throws Exception {
        alice.sessions.process(BOB, bob.bundle(1));
        bob.sessions.process(ALICE, alice.bundle(1));
        Encrypted fromAlice = alice.sessions.encrypt(BOB, text("from alice"));
        Encrypted fromBob = bob.sessions.encrypt(ALICE, text("from bob"));

        assertThat(aliceReads(fromBob)).isEqualTo("from bob");
        assertThat(bobReads(fromAlice)).isEqualTo("from alice");
        for (int i = 0; i < 4; i++) {
            assertThat(bobReads(alice.sessions.encrypt(BOB, text("a" + i)))).isEqualTo("a" + i);
            assertThat(aliceReads(bob.sessions.encrypt(ALICE, text("b" + i)))).isEqualTo("b" + i);
        }
        assertThat(alice.store.session(BOB).orElseThrow().awaitingReply()).isFalse();
        assertThat(bob.store.session(ALICE).orElseThrow().awaitingReply()).isFalse();
    }

    @Test
    void aNewIdentityInABundleReplacesTheOldSession() throws Exception {
        assertThat(alice.sessions.process(BOB, bob.bundle(0))).isEqualTo(IdentityChange.NEW);
        assertThat(alice.sessions.process(BOB, bob.bundle(1))).isEqualTo(IdentityChange.UNCHANGED);
        bobReads(alice.sessions.encrypt(BOB, text("before")));

        JavaParty reinstalled = new JavaParty();
        assertThat(alice.sessions.process(BOB, reinstalled.bundle(0))).isEqualTo(IdentityChange.CHANGED);
        assertThat(alice.store.identity(BOB)).contains(reinstalled.identity());
        Encrypted message = alice.sessions.encrypt(BOB, text("after"));
        assertThat(new String(reinstalled.sessions.decrypt(ALICE, message.type(), message.body()).plaintext(),
                StandardCharsets.UTF_8)).isEqualTo("after");
        // the old identity's session is gone, not merely archived
        assertThatThrownBy(() -> aliceReads(bob.sessions.encrypt(ALICE, text("old")))).isInstanceOf(
                SignalException.class);
    }

    @Test
    void archivingTheCurrentSessionMakesTheNextSendNeedABundle() throws Exception {
        establish();
        alice.store.storeSession(BOB, alice.store.session(BOB).orElseThrow().archiveCurrent());

        assertThat(alice.store.session(BOB).orElseThrow().hasSession()).isFalse();
        assertThatThrownBy(() -> alice.sessions.encrypt(BOB, text("x"))).isInstanceOf(SignalException.class)
                .extracting(e -> ((SignalException) e).reason()).isEqualTo(Reason.NO_SESSION);
        // the peer still on that session is understood
        assertThat(aliceReads(bob.sessions.encrypt(ALICE, text("still here")))).isEqualTo("still here");
    }

    private void establish() throws Exception {
        alice.sessions.process(BOB, bob.bundle(0));
        bobReads(alice.sessions.encrypt(BOB, text("hello")));
        aliceReads(bob.sessions.encrypt(ALICE, text("hello back")));
    }

    private String bobReads(Encrypted message) throws SignalException {
        return new String(bob.sessions.decrypt(ALICE, message.type(), message.body()).plaintext(),
                StandardCharsets.UTF_8);
    }

    private String aliceReads(Encrypted message) throws SignalException {
        return new String(alice.sessions.decrypt(BOB, message.type(), message.body()).plaintext(),
                StandardCharsets.UTF_8);
    }

    private static byte[] text(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
