package ponte.adapters.whatsapp.store.sql;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.UUID;
import javax.sql.DataSource;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import ponte.adapters.whatsapp.signal.IdentityKey;
import ponte.adapters.whatsapp.signal.PreKeyBundle;
import ponte.adapters.whatsapp.signal.SessionCipher;
import ponte.adapters.whatsapp.signal.SignalAddress;
import ponte.adapters.whatsapp.store.DeviceCredentials;
import ponte.adapters.whatsapp.store.PrivacyTokenStore.PrivacyToken;
import ponte.adapters.whatsapp.store.SignalStateConflictException;
import ponte.adapters.whatsapp.store.SignalTransaction;
import ponte.adapters.whatsapp.store.TestCipher;
import ponte.testing.PostgresFixture;

/**
 * What V4 of the device store keeps (the holders of our sender keys, privacy tokens), the session deletion a LID
 * migration commits, and that a device gone (a logout racing a send) makes keeping a sent message a no-op.
 */
class SqlHoldersAndTokensStoreTest {

    private static final String GROUP = "120363000000000001@g.us";
    private static DataSource dataSource;
    private static SqlDeviceStore store;
    private final UUID device = UUID.randomUUID();

    @BeforeAll
    static void openStore() {
        dataSource = PostgresFixture.newDatabase().dataSource();
        store = SqlDeviceStore.migrateAndOpen(dataSource, new TestCipher(), Clock.systemUTC());
    }

    @Test
    void senderKeyHoldersCommitWithTheirUnitAreClearedWithTheKeyAndForgottenWithAPeersIdentity() throws Exception {
        store.create(device, DeviceCredentials.generate(new SecureRandom()));
        SignalAddress bruno = SignalAddress.of("5511900000002", 0);
        SignalAddress brunoWeb = SignalAddress.of("5511900000002", 3);
        SignalAddress carla = new SignalAddress("100000000000009", SignalAddress.LID_AGENT, 0);

        SignalTransaction uncommitted = store.begin(device);
        uncommitted.addSenderKeyHolders(GROUP, List.of(bruno));
        assertThat(uncommitted.senderKeyHolders(GROUP)).containsExactly(bruno);
        assertThat(store.begin(device).senderKeyHolders(GROUP)).isEmpty();

        store.inTransaction(device, unit -> {
            unit.addSenderKeyHolders(GROUP, List.of(bruno, brunoWeb, carla));
            return null;
        });
        assertThat(store.begin(device).senderKeyHolders(GROUP)).containsExactlyInAnyOrder(bruno, brunoWeb, carla);
        assertThat(store.begin(device).senderKeyHolders("other@g.us")).isEmpty();

        store.forgetPeer(device, "5511900000002");
        assertThat(store.begin(device).senderKeyHolders(GROUP)).containsExactly(carla);

        store.inTransaction(device, unit -> {
            unit.clearSenderKeyHolders(GROUP);
            unit.addSenderKeyHolders(GROUP, List.of(bruno));
            return null;
        });
        assertThat(store.begin(device).senderKeyHolders(GROUP)).containsExactly(bruno);
    }

    @Test
    void aDeletedSessionGoesAtCommitUnlessSomeoneAdvancedItMeanwhile() throws Exception {
        store.create(device, DeviceCredentials.generate(new SecureRandom()));
        SignalAddress peer = SignalAddress.of("5511900000003", 0);
        DeviceCredentials other = DeviceCredentials.generate(new SecureRandom());
        PreKeyBundle bundle = PreKeyBundle.withoutPreKey(other.registrationId(),
                new IdentityKey(other.identityKey().publicKey()), other.signedPreKey().id(),
                other.signedPreKey().keyPair().publicKey(), other.signedPreKey().signature());
        store.inTransaction(device, unit -> {
            new SessionCipher(unit, new SecureRandom()).process(peer, bundle);
            return null;
        });

        SignalTransaction stale = store.begin(device);
        stale.deleteSession(peer);
        store.inTransaction(device, unit -> {
            unit.storeSession(peer, unit.session(peer).orElseThrow());
            return null;
        });
        assertThatThrownBy(stale::commit).isInstanceOf(SignalStateConflictException.class);
        assertThat(store.begin(device).session(peer)).isPresent();

        store.inTransaction(device, unit -> {
            unit.deleteSession(peer);
            return null;
        });
        assertThat(store.begin(device).session(peer)).isEmpty();
    }

    @Test
    void aPrivacyTokenIsKeptSealedPerContactAndANewerOneReplacesIt() {
        store.create(device, DeviceCredentials.generate(new SecureRandom()));
        Instant minted = Instant.now().truncatedTo(ChronoUnit.SECONDS);

        store.savePrivacyToken(device, "5511900000004", new PrivacyToken("token-um".getBytes(UTF_8), minted));
        store.savePrivacyToken(device, "5511900000004", new PrivacyToken("token-dois".getBytes(UTF_8),
                minted.plusSeconds(60)));

        PrivacyToken kept = store.privacyToken(device, "5511900000004").orElseThrow();
        assertThat(new String(kept.token(), UTF_8)).isEqualTo("token-dois");
        assertThat(kept.issuedAt()).isEqualTo(minted.plusSeconds(60));
        assertThat(store.privacyToken(device, "5511900000005")).isEmpty();
        assertThat(store.privacyToken(UUID.randomUUID(), "5511900000004")).isEmpty();
        byte[] atRest = Jdbi.create(dataSource).withHandle(handle -> handle.createQuery(
                "select token_sealed from whatsapp_store.privacy_token where device_id = :id")
                .bind("id", device).mapTo(byte[].class).one());
        assertThat(new String(atRest, UTF_8)).doesNotContain("token-dois");
    }

    @Test
    void aDeviceLoggedOutWhileASendRanKeepsNothingAndRaisesNothing() {
        UUID gone = UUID.randomUUID();

        store.keepSent(gone, "3EB0FF", "texto".getBytes(UTF_8));
        store.savePrivacyToken(gone, "5511900000006", new PrivacyToken(new byte[] {1}, Instant.now()));

        assertThat(store.sentMessage(gone, "3EB0FF")).isEmpty();
        assertThat(store.privacyToken(gone, "5511900000006")).isEmpty();
    }
}
