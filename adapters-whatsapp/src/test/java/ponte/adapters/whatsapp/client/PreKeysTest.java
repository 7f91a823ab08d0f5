package ponte.adapters.whatsapp.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import ponte.adapters.whatsapp.binary.Node;
import ponte.adapters.whatsapp.crypto.XEdDsa;
import ponte.adapters.whatsapp.store.DeviceCredentials;
import ponte.adapters.whatsapp.store.SignedPreKey;
import ponte.adapters.whatsapp.store.TestCipher;
import ponte.adapters.whatsapp.store.sql.SqlDeviceStore;
import ponte.testing.PostgresFixture;

/** Prekey stock keeping over the real store, with the server played by a recording IQ sender. */
class PreKeysTest {

    private static SqlDeviceStore store;
    private final SecureRandom random = new SecureRandom();
    private final UUID id = UUID.randomUUID();
    private final DeviceCredentials credentials = DeviceCredentials.generate(random);
    private final List<Node> uploads = new ArrayList<>();
    private int serverCount;
    private boolean refuseUploads;

    @BeforeAll
    static void openStore() {
        store = SqlDeviceStore.migrateAndOpen(PostgresFixture.newDatabase().dataSource(), new TestCipher(),
                Clock.systemUTC());
    }

    @BeforeEach
    void createDevice() {
        store.create(id, credentials);
    }

    @Test
    void theFirstUploadCarries812KeysWithTheIdentityAndTheSignedPreKey() {
        preKeys().refillFrom(0);

        assertThat(uploads).hasSize(1);
        Node upload = uploads.getFirst();
        assertThat(upload.child("list").orElseThrow().children()).hasSize(812);
        assertThat(upload.child("registration").flatMap(Node::bytes).orElseThrow())
                .isEqualTo(ByteBuffer.allocate(4).putInt(credentials.registrationId()).array());
        assertThat(upload.child("type").flatMap(Node::bytes).orElseThrow()).containsExactly(5);
        assertThat(upload.child("identity").flatMap(Node::bytes).orElseThrow())
                .isEqualTo(credentials.identityKey().publicKey());
        Node skey = upload.child("skey").orElseThrow();
        byte[] signedPublic = skey.child("value").flatMap(Node::bytes).orElseThrow();
        assertThat(XEdDsa.verify(credentials.identityKey().publicKey(), SignedPreKey.signalPublicKey(signedPublic),
                skey.child("signature").flatMap(Node::bytes).orElseThrow())).isTrue();
        assertThat(firstKeyId(upload)).containsExactly(0, 0, 1);
        assertThat(store.uploadedPreKeyCount(id)).isEqualTo(812);
    }

    @Test
    void aServerCountBelowFiveAfterTheFirstUploadTopsUpFiftyNewKeys() {
        PreKeys preKeys = preKeys();
        preKeys.refillFrom(0);

        preKeys.refillFrom(4);

        assertThat(uploads).hasSize(2);
        assertThat(uploads.get(1).child("list").orElseThrow().children()).hasSize(50);
        assertThat(firstKeyId(uploads.get(1))).containsExactly(0, 3, 0x2d);
        assertThat(store.uploadedPreKeyCount(id)).isEqualTo(862);
    }

    @Test
    void aServerCountOfFiveOrMoreUploadsNothing() {
        preKeys().refillFrom(PreKeys.MINIMUM_COUNT);

        assertThat(uploads).isEmpty();
    }

    @Test
    void afterLoginTheServerIsAskedForItsCountFirst() {
        serverCount = 3;

        preKeys().refill();

        assertThat(uploads).hasSize(1);
        assertThat(uploads.getFirst().child("list").orElseThrow().children()).hasSize(812);
    }

    @Test
    void keysTheServerRefusedAreOfferedAgainRatherThanNewOnes() {
        refuseUploads = true;
        PreKeys preKeys = preKeys();
        assertThatThrownBy(() -> preKeys.refillFrom(0)).isInstanceOf(IllegalStateException.class);
        refuseUploads = false;

        preKeys.refillFrom(0);

        assertThat(store.lastPreKeyId(id)).isEqualTo(812);
        assertThat(store.uploadedPreKeyCount(id)).isEqualTo(812);
    }

    private PreKeys preKeys() {
        return new PreKeys(id, store, () -> credentials, this::answer, random);
    }

    private CompletableFuture<Node> answer(String xmlns, String type, List<Node> children) {
        assertThat(xmlns).isEqualTo("encrypt");
        if (type.equals("get")) {
            return CompletableFuture.completedFuture(Node.withChildren("iq", Node.attrs("type", "result"),
                    List.of(Node.of("count", Node.attrs("value", Integer.toString(serverCount))))));
        }
        if (refuseUploads) {
            return CompletableFuture.failedFuture(new IllegalStateException("refused"));
        }
        uploads.add(Node.withChildren("iq", Map.of(), children));
        return CompletableFuture.completedFuture(Node.of("iq", Node.attrs("type", "result")));
    }

    private static byte[] firstKeyId(Node upload) {
        return upload.child("list").orElseThrow().children().getFirst().child("id").flatMap(Node::bytes)
                .orElseThrow();
    }
}
