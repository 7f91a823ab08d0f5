package ponte.adapters.whatsapp.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import ponte.adapters.whatsapp.binary.Node;
import ponte.adapters.whatsapp.crypto.KeyPair;
import ponte.adapters.whatsapp.proto.E2e;
import ponte.adapters.whatsapp.sandbox.SandboxFixture;
import ponte.adapters.whatsapp.signal.Encrypted;
import ponte.adapters.whatsapp.signal.GroupCipher;
import ponte.adapters.whatsapp.signal.IdentityKey;
import ponte.adapters.whatsapp.signal.InMemorySignalStore;
import ponte.adapters.whatsapp.signal.Padding;
import ponte.adapters.whatsapp.signal.PreKeyBundle;
import ponte.adapters.whatsapp.signal.SenderKeyName;
import ponte.adapters.whatsapp.signal.SessionCipher;
import ponte.adapters.whatsapp.signal.SignalAddress;
import ponte.adapters.whatsapp.store.DeviceCredentials;
import ponte.adapters.whatsapp.store.TestCipher;
import ponte.adapters.whatsapp.store.sql.SqlDeviceStore;

/**
 * The receive feature on a real device store, with stanzas a peer's Signal party encrypted for our device: a
 * redelivered stanza is receipted and acked but not handed on twice, and a message whose hand-on failed after the
 * decrypt committed is handed on from the kept plaintext (at login, or when the stanza comes again), once.
 */
class MessagesTest {
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final String PEER = "5511987650300";
    private static final String GROUP = "120363000000000001@g.us";

    private final UUID deviceId = UUID.randomUUID();
    private final List<CompanionEvent.Received> handedOn = new ArrayList<>();
    private final List<Node> sent = new ArrayList<>();
    private final NodeHandlers handlers = new NodeHandlers();
    private SqlDeviceStore store;
    private DeviceCredentials credentials;
    private InMemorySignalStore peerStore;
    private SessionCipher peer;
    private Messages messages;
    private int failures;

    @BeforeEach
    void open() throws Exception {
        store = SqlDeviceStore.migrateAndOpen(SandboxFixture.database(), new TestCipher(), Clock.systemUTC());
        credentials = DeviceCredentials.generate(RANDOM);
        store.create(deviceId, credentials);
        java.util.function.Consumer<CompanionEvent.Received> keep = received -> {
            if (failures > 0) {
                failures--;
                throw new IllegalStateException("the database is down");
            }
            handedOn.add(received);
        };
        var lids = new LidMappings(deviceId, store);
        var history = new HistorySync(deviceId, store, Optional::empty, keep, pushName -> { }, sent::add, lids,
                new PrivacyTokens(deviceId, store, null, lids, Clock.systemUTC()), salt -> { }, () -> null);
        messages = new Messages(deviceId, store, Optional::empty, () -> credentials, keep, history,
                stanza -> () -> { }, sent::add, lids, RANDOM, protocol -> { }, new Polls(deviceId, store, () -> new byte[32]));
        messages.register(handlers);
        peerStore = new InMemorySignalStore(KeyPair.generate(RANDOM), 4242);
        peer = new SessionCipher(peerStore, RANDOM);
        peer.process(ours(), PreKeyBundle.withoutPreKey(credentials.registrationId(),
                new IdentityKey(credentials.identityKey().publicKey()), credentials.signedPreKey().id(),
                credentials.signedPreKey().keyPair().publicKey(), credentials.signedPreKey().signature()));
    }

    @Test
    void aRedeliveredStanzaIsReceiptedAgainButHandedOnOnce() throws Exception {
        Node stanza = stanza("3EB0AA01", "Oi");

        handle(stanza);
        handle(stanza);

        assertThat(handedOn).singleElement().satisfies(event -> assertThat(text(event)).isEqualTo("Oi"));
        assertThat(sent).hasSize(2).allSatisfy(receipt -> assertThat(receipt.attributes())
                .containsEntry("id", "3EB0AA01").containsEntry("to", PEER + "@s.whatsapp.net")
                .doesNotContainKey("type"));
    }

    @Test
    void aFailedHandOnLeavesThePlaintextKeptForTheLoginDrainAndTheRedeliveryIsThenOnlyReceipted() throws Exception {
        Node stanza = stanza("3EB0AA02", "guardado");
        failures = 1;

        assertThatThrownBy(() -> handle(stanza)).hasMessageContaining("database is down");
        assertThat(sent).as("no receipt before the hand-on").isEmpty();
        assertThat(store.unhandedMessages(deviceId, 10)).hasSize(1);

        messages.drain();
        assertThat(handedOn).singleElement().satisfies(event -> assertThat(text(event)).isEqualTo("guardado"));
        assertThat(store.unhandedMessages(deviceId, 10)).isEmpty();

        handle(stanza);
        assertThat(handedOn).hasSize(1);
        assertThat(sent).singleElement().satisfies(receipt -> assertThat(receipt.attributes())
                .containsEntry("id", "3EB0AA02"));
    }

    @Test
    void theNextMessageOnTheSameSessionDecryptsAfterAFailedHandOn() throws Exception {
        Node first = stanza("3EB0AA03", "um");
        failures = 1;
        assertThatThrownBy(() -> handle(first)).isInstanceOf(IllegalStateException.class);

        // the redelivered copy cannot be decrypted again (its message key is spent): the kept plaintext is used
        handle(first);
        handle(stanza("3EB0AA04", "dois"));

        assertThat(handedOn).extracting(MessagesTest::text).containsExactly("um", "dois");
    }

    @Test
    void aGroupMessageIsDecryptedSenderKeyFirstThenItsSkmsgAndReceiptedToTheGroupNamingTheAuthor() throws Exception {
        SenderKeyName peerKey = new SenderKeyName(GROUP, SignalAddress.of(PEER, 0));
        GroupCipher peerGroups = new GroupCipher(peerStore, RANDOM);
        byte[] distribution = peerGroups.distributionMessage(peerKey);
        byte[] keyMessage = Padding.pad(E2e.Message.newBuilder().setSenderKeyDistributionMessage(
                E2e.SenderKeyDistributionMessage.newBuilder().setGroupId(GROUP)
                        .setAxolotlSenderKeyDistributionMessage(ByteString.copyFrom(distribution))).build()
                .toByteArray(), RANDOM);
        Encrypted senderKey = peer.encrypt(ours(), keyMessage);

        handle(groupStanza("3EB0AA05", List.of(
                Node.withBytes("enc", Map.of("v", "2", "type", senderKey.type().wireName()), senderKey.body()),
                skmsg(peerGroups, peerKey, "para o grupo"))));
        handle(groupStanza("3EB0AA06", List.of(skmsg(peerGroups, peerKey, "só skmsg"))));

        assertThat(handedOn).extracting(MessagesTest::text).containsExactly("para o grupo", "só skmsg");
        var message = ((CompanionEvent.MessageReceived) handedOn.getFirst()).exchanged().message();
        assertThat(message.wireForm()).containsEntry("chat_jid", GROUP)
                .containsEntry("participant", PEER + "@s.whatsapp.net");
        assertThat(message.sender().lid().map(Object::toString)).contains("77700011@lid");
        assertThat(sent).hasSize(2).allSatisfy(receipt -> assertThat(receipt.attributes())
                .containsEntry("to", GROUP).containsEntry("participant", PEER + "@s.whatsapp.net")
                .doesNotContainKey("type"));
    }

    @Test
    void aGroupMessageWithoutTheAuthorsSenderKeyAsksForARetryAndIsNotHandedOn() throws Exception {
        SenderKeyName peerKey = new SenderKeyName(GROUP, SignalAddress.of(PEER, 0));
        GroupCipher peerGroups = new GroupCipher(peerStore, RANDOM);
        peerGroups.distributionMessage(peerKey);

        handle(groupStanza("3EB0AA07", List.of(skmsg(peerGroups, peerKey, "sem chave"))));

        assertThat(handedOn).isEmpty();
        assertThat(sent).singleElement().satisfies(receipt -> assertThat(receipt.attributes())
                .containsEntry("type", "retry").containsEntry("to", GROUP)
                .containsEntry("participant", PEER + "@s.whatsapp.net"));
    }

    private static Node skmsg(GroupCipher cipher, SenderKeyName name, String text) throws Exception {
        return Node.withBytes("enc", Map.of("v", "2", "type", "skmsg"), cipher.encrypt(name,
                Padding.pad(E2e.Message.newBuilder().setConversation(text).build().toByteArray(), RANDOM)));
    }

    private static Node groupStanza(String id, List<Node> encs) {
        return Node.withChildren("message", Node.attrs("from", GROUP, "id", id, "participant",
                PEER + "@s.whatsapp.net", "participant_lid", "77700011@lid", "t", "1764480000", "type", "text",
                "notify", "Bia"), encs);
    }

    private void handle(Node stanza) throws Exception {
        handlers.find(stanza).orElseThrow().handle(stanza);
    }

    private Node stanza(String id, String text) throws Exception {
        byte[] plaintext = Padding.pad(E2e.Message.newBuilder().setConversation(text).build().toByteArray(), RANDOM);
        Encrypted encrypted = peer.encrypt(ours(), plaintext);
        return Node.withChildren("message", Node.attrs("from", PEER + "@s.whatsapp.net", "id", id, "t", "1764480000",
                "type", "text", "notify", "Bia", "sender_lid", "77700011@lid"),
                List.of(Node.withBytes("enc", Map.of("v", "2", "type", encrypted.type().wireName()),
                        encrypted.body())));
    }

    /** Our device's address as the peer sees it; we receive from the peer's device 0. */
    private static SignalAddress ours() {
        return SignalAddress.of("5511900000001", 7);
    }

    private static String text(CompanionEvent.Received event) {
        var message = ((CompanionEvent.MessageReceived) event).exchanged().message();
        return ((ponte.domain.message.Message.Text) message.body()).text();
    }
}
