package ponte.adapters.whatsapp.store.sql;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.OptionalInt;
import java.util.UUID;
import javax.sql.DataSource;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import ponte.adapters.whatsapp.crypto.Bytes;
import ponte.adapters.whatsapp.crypto.KeyPair;
import ponte.adapters.whatsapp.signal.Decrypted;
import ponte.adapters.whatsapp.signal.Encrypted;
import ponte.adapters.whatsapp.signal.GroupCipher;
import ponte.adapters.whatsapp.signal.IdentityKey;
import ponte.adapters.whatsapp.signal.MessageType;
import ponte.adapters.whatsapp.signal.Padding;
import ponte.adapters.whatsapp.signal.PreKeyBundle;
import ponte.adapters.whatsapp.signal.SenderKeyName;
import ponte.adapters.whatsapp.signal.SessionCipher;
import ponte.adapters.whatsapp.signal.SignalAddress;
import ponte.adapters.whatsapp.signal.SignalException;
import ponte.adapters.whatsapp.signal.proto.SignalProto.PreKeyWhisperMessage;
import ponte.adapters.whatsapp.store.DeviceCredentials;
import ponte.adapters.whatsapp.store.KeptMessage;
import ponte.adapters.whatsapp.store.PreKey;
import ponte.adapters.whatsapp.store.SignalStateConflictException;
import ponte.adapters.whatsapp.store.SignalTransaction;
import ponte.adapters.whatsapp.store.TestCipher;
import ponte.testing.PostgresFixture;

/**
 * The Signal state in the device store, through the real ciphers: two companion devices of this gateway talk to
 * each other with every record going through PostgreSQL, sealed, in units of work.
 */
class SqlSignalStoreTest {

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final SignalAddress ALICE = SignalAddress.of("5511900000001", 3);
    private static final SignalAddress BOB = new SignalAddress("987654321", 1, 2);
    private static final String GROUP = "120363000000000001@g.us";
    /** The master key outlives a restart; so does this cipher across the reopened stores. */
    private static final TestCipher CIPHER = new TestCipher();

    private static DataSource dataSource;
    private static SqlDeviceStore store;

    private final UUID alice = UUID.randomUUID();
    private final UUID bob = UUID.randomUUID();

    @BeforeAll
    static void openStore() {
        dataSource = PostgresFixture.newDatabase().dataSource();
        store = reopen();
    }

    private static SqlDeviceStore reopen() {
        return SqlDeviceStore.migrateAndOpen(dataSource, CIPHER, Clock.systemUTC());
    }

    @Test
    void aConversationOfPkmsgMsgAndSkmsgRunsThroughTheStoreAndSurvivesRestarts() throws Exception {
        pair();
        int uploaded = store.uploadedPreKeyCount(bob);

        Encrypted first = send(alice, BOB, "hi bob");
        assertThat(first.type()).isEqualTo(MessageType.PKMSG);
        assertThat(receive(bob, ALICE, first, "m1")).isEqualTo("hi bob");
        assertThat(store.preKey(bob, 1)).as("the uploaded one-time prekey is consumed").isEmpty();
        assertThat(store.uploadedPreKeyCount(bob)).isEqualTo(uploaded - 1);

        store = reopen();
        for (int turn = 0; turn < 3; turn++) {
            Encrypted reply = send(bob, ALICE, "bob " + turn);
            assertThat(reply.type()).isEqualTo(MessageType.MSG);
            assertThat(receive(alice, BOB, reply, "b" + turn)).isEqualTo("bob " + turn);
            Encrypted answer = send(alice, BOB, "alice " + turn);
            assertThat(answer.type()).isEqualTo(MessageType.MSG);
            assertThat(receive(bob, ALICE, answer, "a" + turn)).isEqualTo("alice " + turn);
        }

        // alice's first group message: her SKDM travels 1:1 in the same unit that creates her sender key
        var aliceKey = new SenderKeyName(GROUP, ALICE);
        SignalTransaction sending = store.begin(alice);
        byte[] distribution = new GroupCipher(sending, RANDOM).distributionMessage(aliceKey);
        Encrypted carrier = new SessionCipher(sending, RANDOM).encrypt(BOB, Padding.pad(distribution, RANDOM));
        byte[] groupMessage = new GroupCipher(sending, RANDOM).encrypt(aliceKey, text("hello group"));
        sending.commit();

        store = reopen();
        SignalTransaction receiving = store.begin(bob);
        byte[] skdm = Padding.unpad(new SessionCipher(receiving, RANDOM).decrypt(ALICE, carrier.type(),
                carrier.body()).plaintext());
        new GroupCipher(receiving, RANDOM).process(aliceKey, skdm);
        String read = new String(Padding.unpad(new GroupCipher(receiving, RANDOM).decrypt(aliceKey, groupMessage)),
                UTF_8);
        receiving.keepMessage("g1", read.getBytes(UTF_8));
        receiving.commit();
        assertThat(read).isEqualTo("hello group");

        store = reopen();
        for (int i = 0; i < 3; i++) {
            assertThat(groupReceive(bob, aliceKey, groupSend(alice, aliceKey, "group " + i))).isEqualTo("group " + i);
        }
        assertThat(receive(bob, ALICE, send(alice, BOB, "still 1:1"), "last")).isEqualTo("still 1:1");
        assertThat(store.keptMessage(bob, "g1").orElseThrow().payload()).hasValueSatisfying(
                payload -> assertThat(new String(payload, UTF_8)).isEqualTo("hello group"));
    }

    @Test
    void everyKindOfStateComesBackAsItWasWritten() throws Exception {
        DeviceCredentials credentials = pair();
        var aliceKey = new SenderKeyName(GROUP, ALICE);
        SignalTransaction writing = store.begin(alice);
        new SessionCipher(writing, RANDOM).process(BOB, bundle(bob, 2));
        new GroupCipher(writing, RANDOM).distributionMessage(aliceKey);
        byte[] session = writing.session(BOB).orElseThrow().serialize();
        byte[] senderKey = writing.senderKey(aliceKey).orElseThrow().serialize();
        IdentityKey bobIdentity = writing.identity(BOB).orElseThrow();
        writing.commit();

        SignalTransaction reading = reopen().begin(alice);
        assertThat(reading.session(BOB).orElseThrow().serialize()).isEqualTo(session);
        assertThat(reading.senderKey(aliceKey).orElseThrow().serialize()).isEqualTo(senderKey);
        assertThat(reading.identity(BOB)).contains(bobIdentity);
        assertThat(bobIdentity.publicKey()).isEqualTo(credentials.identityKey().publicKey());
        assertThat(reading.session(ALICE)).isEmpty();
        assertThat(reading.identity(ALICE)).isEmpty();
        assertThat(reading.senderKey(new SenderKeyName(GROUP, BOB))).isEmpty();

        SignalTransaction ours = store.begin(bob);
        assertThat(ours.identityKeyPair()).isEqualTo(credentials.identityKey());
        assertThat(ours.registrationId()).isEqualTo(credentials.registrationId());
        assertThat(ours.signedPreKey(credentials.signedPreKey().id())).contains(credentials.signedPreKey().keyPair());
        assertThat(ours.signedPreKey(credentials.signedPreKey().id() + 1)).isEmpty();
        assertThat(ours.preKey(3)).contains(store.preKey(bob, 3).orElseThrow().keyPair());
        assertThat(ours.preKey(99)).isEmpty();
    }

    @Test
    void noChainKeySigningKeyNorMessageTextIsStoredInTheClear() throws Exception {
        DeviceCredentials bobCredentials = pair();
        var aliceKey = new SenderKeyName(GROUP, ALICE);
        String canary = "canary-" + UUID.randomUUID();
        receive(bob, ALICE, send(alice, BOB, canary), "m1");
        SignalTransaction unit = store.begin(alice);
        new GroupCipher(unit, RANDOM).distributionMessage(aliceKey);
        byte[] session = unit.session(BOB).orElseThrow().serialize();
        byte[] senderKey = unit.senderKey(aliceKey).orElseThrow().serialize();
        unit.commit();

        List<String> sealedTables = List.of("signal_session", "signal_sender_key", "kept_message");
        String dump = dumpBytes(alice, sealedTables) + dumpBytes(bob, sealedTables);

        for (byte[] record : List.of(session, senderKey)) {
            for (int at = 0; at + 16 <= record.length; at++) {
                assertThat(dump).doesNotContain(HexFormat.of().formatHex(Arrays.copyOfRange(record, at, at + 16)));
            }
        }
        assertThat(dump).doesNotContain(HexFormat.of().formatHex(canary.getBytes(UTF_8)));
        assertThat(dumpBytes(alice, List.of("signal_identity"))).as("identity keys are public and stay readable")
                .contains(HexFormat.of().formatHex(bobCredentials.identityKey().publicKey()));
    }

    @Test
    void aFailedCommitLeavesThePreviousRatchetStateSoTheMessageDecryptsOnRetry() throws Exception {
        pair();
        receive(bob, ALICE, send(alice, BOB, "set up"), "m0");
        Encrypted m1 = send(alice, BOB, "m1");
        Encrypted m2 = send(alice, BOB, "m2");
        SignalTransaction other = store.begin(bob);
        other.keepMessage("taken", new byte[] {1});
        other.commit();

        // the session row is written first, then the kept message collides: all of it must roll back
        SignalTransaction failing = store.begin(bob);
        Decrypted decrypted = new SessionCipher(failing, RANDOM).decrypt(ALICE, m1.type(), m1.body());
        failing.keepMessage("taken", decrypted.plaintext());
        assertThatThrownBy(failing::commit).isInstanceOf(SignalStateConflictException.class);
        assertThatThrownBy(failing::commit).isInstanceOf(IllegalStateException.class);

        SignalTransaction crashed = store.begin(bob);
        new SessionCipher(crashed, RANDOM).decrypt(ALICE, m1.type(), m1.body());
        // never committed: the process died here

        assertThat(receive(bob, ALICE, m2, "m2")).isEqualTo("m2");
        assertThat(receive(bob, ALICE, m1, "m1")).isEqualTo("m1");
        assertThatThrownBy(() -> receive(bob, ALICE, m1, "m1 again")).isInstanceOf(SignalException.class)
                .extracting(e -> ((SignalException) e).reason()).isEqualTo(SignalException.Reason.DUPLICATE);
        assertThat(store.keptMessage(bob, "m1").orElseThrow().payload())
                .as("the redelivery is answered from the kept message, not by decrypting").isPresent();
    }

    @Test
    void ofTwoUnitsThatReadTheSameSessionOnlyTheFirstCommitsAndItsCiphertextIsTheOneThatDecrypts() throws Exception {
        pair();
        receive(bob, ALICE, send(alice, BOB, "set up"), "m0");
        receive(alice, BOB, send(bob, ALICE, "answer"), "b0");

        SignalTransaction first = store.begin(alice);
        SignalTransaction second = store.begin(alice);
        Encrypted won = new SessionCipher(first, RANDOM).encrypt(BOB, text("first"));
        Encrypted lost = new SessionCipher(second, RANDOM).encrypt(BOB, text("second"));
        first.commit();
        assertThatThrownBy(second::commit).isInstanceOf(SignalStateConflictException.class);

        assertThat(receive(bob, ALICE, won, "won")).isEqualTo("first");
        assertThatThrownBy(() -> receive(bob, ALICE, lost, "lost")).as("the same counter again")
                .isInstanceOf(SignalException.class);
        assertThat(receive(bob, ALICE, send(alice, BOB, "next"), "next")).isEqualTo("next");
    }

    @Test
    void aUnitThatLostTheRaceRunsAgainOnTheWinnersStateAndItsResultIsTheCommittedOne() throws Exception {
        pair();
        receive(bob, ALICE, send(alice, BOB, "set up"), "m0");
        receive(alice, BOB, send(bob, ALICE, "answer"), "b0");
        List<Encrypted> attempts = new ArrayList<>();

        Encrypted result = store.inTransaction(alice, unit -> {
            Encrypted encrypted = new SessionCipher(unit, RANDOM).encrypt(BOB, text("mine"));
            attempts.add(encrypted);
            if (attempts.size() == 1) {
                receive(bob, ALICE, send(alice, BOB, "a concurrent writer"), "concurrent");
            }
            return encrypted;
        });

        assertThat(attempts).hasSize(2);
        assertThat(result).isSameAs(attempts.get(1));
        assertThat(receive(bob, ALICE, result, "mine")).isEqualTo("mine");
        assertThat(receive(bob, ALICE, send(alice, BOB, "after"), "after")).isEqualTo("after");
    }

    @Test
    void aUnitWhoseCipherRefusesTheMessageWritesNothing() throws Exception {
        pair();
        Encrypted first = send(alice, BOB, "hi");
        // a wrong MAC on the inner message: the cipher runs X3DH and the ratchet, and only then refuses
        var pkmsg = PreKeyWhisperMessage.parseFrom(Arrays.copyOfRange(first.body(), 1, first.body().length));
        byte[] inner = pkmsg.getMessage().toByteArray();
        inner[inner.length - 1] ^= 1;
        byte[] tampered = Bytes.concat(new byte[] {first.body()[0]},
                pkmsg.toBuilder().setMessage(ByteString.copyFrom(inner)).build().toByteArray());

        assertThatThrownBy(() -> receive(bob, ALICE, new Encrypted(first.type(), tampered), "bad"))
                .isInstanceOf(SignalException.class)
                .extracting(e -> ((SignalException) e).reason()).isEqualTo(SignalException.Reason.INVALID_MESSAGE);

        assertThat(store.keptMessage(bob, "bad")).isEmpty();
        assertThat(store.preKey(bob, 1)).isPresent();
        assertThat(receive(bob, ALICE, first, "good")).isEqualTo("hi");
    }

    @Test
    void aPkmsgDecryptedByTwoUnitsAtOnceConsumesItsPreKeyOnce() throws Exception {
        pair();
        Encrypted first = send(alice, BOB, "hi");

        SignalTransaction one = store.begin(bob);
        SignalTransaction two = store.begin(bob);
        new SessionCipher(one, RANDOM).decrypt(ALICE, first.type(), first.body());
        new SessionCipher(two, RANDOM).decrypt(ALICE, first.type(), first.body());
        one.commit();

        assertThatThrownBy(two::commit).isInstanceOf(SignalStateConflictException.class);
        assertThat(store.preKey(bob, 1)).isEmpty();
        assertThat(receive(alice, BOB, send(bob, ALICE, "answer"), "b0")).isEqualTo("answer");
    }

    @Test
    void keptMessagesWaitForTheIngestThenOnlyTheirKeyStaysUntilPurged() throws Exception {
        pair();
        receive(bob, ALICE, send(alice, BOB, "one"), "k1");
        receive(bob, ALICE, send(alice, BOB, "two"), "k2");

        assertThat(store.unhandedMessages(bob, 10)).extracting(KeptMessage::key).containsExactly("k1", "k2");
        store.markHandedOn(bob, "k1");
        store.markHandedOn(bob, "k1");

        KeptMessage handedOn = store.keptMessage(bob, "k1").orElseThrow();
        assertThat(handedOn.handedOn()).isTrue();
        assertThat(handedOn.payload()).isEmpty();
        assertThat(store.unhandedMessages(bob, 10)).extracting(KeptMessage::key).containsExactly("k2");
        assertThat(store.keptMessage(bob, "unknown")).isEmpty();

        assertThat(store.purgeHandedOn(Instant.now().plusSeconds(60))).isPositive();
        assertThat(store.keptMessage(bob, "k1")).isEmpty();
        assertThat(store.keptMessage(bob, "k2")).isPresent();
    }

    @Test
    void anIdentityChangeNotificationForgetsEveryDeviceOfThatUserOnly() throws Exception {
        pair();
        SignalAddress bobsPhone = new SignalAddress(BOB.user(), BOB.agent(), 0);
        SignalAddress stranger = SignalAddress.of("5511900000009", 0);
        SignalTransaction unit = store.begin(alice);
        for (SignalAddress address : List.of(BOB, bobsPhone, stranger)) {
            new SessionCipher(unit, RANDOM).process(address, bundle(bob, 4));
        }
        unit.commit();

        store.forgetPeer(alice, BOB.name());
        store.forgetPeer(alice, BOB.name());

        SignalTransaction after = store.begin(alice);
        assertThat(after.session(BOB)).isEmpty();
        assertThat(after.session(bobsPhone)).isEmpty();
        assertThat(after.identity(BOB)).isEmpty();
        assertThat(after.session(stranger)).isPresent();
        assertThat(after.identity(stranger)).isPresent();
        assertThatThrownBy(() -> send(alice, BOB, "after")).isInstanceOf(SignalException.class)
                .extracting(e -> ((SignalException) e).reason()).isEqualTo(SignalException.Reason.NO_SESSION);
    }

    @Test
    void deletingADeviceWipesItsSignalStateButNotItsPeers() throws Exception {
        pair();
        receive(bob, ALICE, send(alice, BOB, "hi"), "m1");
        SignalTransaction unit = store.begin(bob);
        new GroupCipher(unit, RANDOM).distributionMessage(new SenderKeyName(GROUP, BOB));
        unit.commit();

        store.delete(bob);

        for (String table : List.of("signal_session", "signal_identity", "signal_sender_key", "kept_message",
                "device_prekey")) {
            assertThat(rowsOf(table, bob)).as(table).isZero();
        }
        assertThat(rowsOf("signal_session", alice)).isEqualTo(1);
        assertThatThrownBy(() -> store.begin(bob).identityKeyPair()).isInstanceOf(IllegalStateException.class);
    }

    /** Both devices exist; bob has uploaded prekeys 1..5, as the client's PreKeys would have. */
    private DeviceCredentials pair() {
        DeviceCredentials bobCredentials = DeviceCredentials.generate(RANDOM);
        store.create(alice, DeviceCredentials.generate(RANDOM));
        store.create(bob, bobCredentials);
        for (UUID device : List.of(alice, bob)) {
            List<PreKey> keys = new ArrayList<>();
            for (int id = 1; id <= 5; id++) {
                keys.add(new PreKey(id, KeyPair.generate(RANDOM)));
            }
            store.savePreKeys(device, keys);
            store.markUploaded(device, 5);
        }
        SignalTransaction unit = store.begin(alice);
        try {
            new SessionCipher(unit, RANDOM).process(BOB, bundle(bob, 1));
        } catch (SignalException e) {
            throw new AssertionError(e);
        }
        unit.commit();
        return bobCredentials;
    }

    /** The bundle the server would hand out for a device: its stored credentials and one uploaded prekey. */
    private static PreKeyBundle bundle(UUID device, int preKeyId) {
        DeviceCredentials credentials = store.load(device).orElseThrow().credentials();
        PreKey preKey = store.preKey(device, preKeyId).orElseThrow();
        return new PreKeyBundle(credentials.registrationId(),
                new IdentityKey(credentials.identityKey().publicKey()), credentials.signedPreKey().id(),
                credentials.signedPreKey().keyPair().publicKey(), credentials.signedPreKey().signature(),
                OptionalInt.of(preKeyId), preKey.keyPair().publicKey());
    }

    private static Encrypted send(UUID from, SignalAddress to, String message) throws SignalException {
        return store.inTransaction(from, unit -> new SessionCipher(unit, RANDOM).encrypt(to, text(message)));
    }

    /** Decrypts, keeps the text under {@code key} and commits both with the ratchet step. */
    private static String receive(UUID at, SignalAddress from, Encrypted message, String key)
            throws SignalException {
        byte[] plaintext = store.inTransaction(at, unit -> {
            byte[] unpadded = Padding.unpad(new SessionCipher(unit, RANDOM).decrypt(from, message.type(),
                    message.body()).plaintext());
            unit.keepMessage(key, unpadded);
            return unpadded;
        });
        return new String(plaintext, UTF_8);
    }

    private static byte[] groupSend(UUID from, SenderKeyName name, String message) throws SignalException {
        return store.inTransaction(from, unit -> new GroupCipher(unit, RANDOM).encrypt(name, text(message)));
    }

    private static String groupReceive(UUID at, SenderKeyName name, byte[] body) throws SignalException {
        return new String(store.inTransaction(at,
                unit -> Padding.unpad(new GroupCipher(unit, RANDOM).decrypt(name, body))), UTF_8);
    }

    private static byte[] text(String message) {
        return Padding.pad(message.getBytes(UTF_8), RANDOM);
    }

    private static int rowsOf(String table, UUID id) {
        return Jdbi.create(dataSource).withHandle(handle -> handle
                .createQuery("select count(*) from whatsapp_store." + table + " where device_id = :id")
                .bind("id", id).mapTo(Integer.class).one());
    }

    /** Every bytea column of the device's rows in these tables, as hex. */
    private static String dumpBytes(UUID id, List<String> tables) {
        return Jdbi.create(dataSource).withHandle(handle -> {
            StringBuilder out = new StringBuilder();
            for (String table : tables) {
                handle.createQuery("select * from whatsapp_store." + table + " where device_id = :id").bind("id", id)
                        .map((rs, ctx) -> {
                            for (int c = 1; c <= rs.getMetaData().getColumnCount(); c++) {
                                if (rs.getObject(c) instanceof byte[] bytes) {
                                    out.append(HexFormat.of().formatHex(bytes)).append('|');
                                }
                            }
                            return 0;
                        }).list();
            }
            return out.toString();
        });
    }
}
