package ponte.adapters.whatsapp.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.Test;
import ponte.adapters.whatsapp.binary.Jid;
import ponte.adapters.whatsapp.binary.Node;
import ponte.adapters.whatsapp.sandbox.SandboxFixture;
import ponte.adapters.whatsapp.sandbox.SandboxOptions;
import ponte.adapters.whatsapp.sandbox.SandboxServer;
import ponte.adapters.whatsapp.store.DeviceCredentials;
import ponte.adapters.whatsapp.store.DeviceStores;
import ponte.adapters.whatsapp.store.DeviceAccount;
import ponte.adapters.whatsapp.sandbox.store.LinkedDevice;
import ponte.adapters.whatsapp.sandbox.store.SandboxDevice;
import ponte.adapters.whatsapp.sandbox.store.SandboxStore;
import ponte.adapters.whatsapp.store.TestCipher;
import ponte.adapters.whatsapp.store.sql.SqlDeviceStore;
import ponte.adapters.whatsapp.sandbox.store.sql.SqlSandboxStore;

/** Our companion pairs with the sandbox's virtual phones, by QR and by code, over a real loopback socket. */
class PairingSandboxTest {

    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final String PHONE = "5511987650001";
    private final SecureRandom random = new SecureRandom();
    private final List<Companion> companions = new ArrayList<>();
    private SandboxStore sandboxStore;
    private SandboxServer sandbox;
    private SqlDeviceStore deviceStore;
    private DataSource database;

    @BeforeEach
    void start() throws Exception {
        database = SandboxFixture.database();
        sandboxStore = SqlSandboxStore.migrateAndOpen(database);
        deviceStore = SqlDeviceStore.migrateAndOpen(database, new TestCipher(), Clock.systemUTC());
        sandbox = SandboxFixture.start(sandboxStore, SandboxFixture.fastOptions());
        sandbox.phones().create(PHONE, "Ana");
    }

    @AfterEach
    void stop() throws Exception {
        companions.forEach(Companion::close);
        sandbox.close();
    }

    @Test
    void aScannedQrLinksTheDeviceWhichLogsInAfterTheRestart() throws Exception {
        UUID id = UUID.randomUUID();
        CompanionRecorder events = new CompanionRecorder();
        Companion companion = open(id, events);
        companion.connect();
        String qr = events.await(CompanionEvent.QrCode.class, WAIT).text();

        LinkedDevice linked = sandbox.phones().scan(PHONE, qr).get(WAIT.toSeconds(), TimeUnit.SECONDS);

        CompanionEvent.Paired paired = events.await(CompanionEvent.Paired.class, WAIT);
        assertThat(paired.jid()).isEqualTo(PHONE + ":" + linked.device() + "@s.whatsapp.net").isEqualTo(linked.jid());
        assertThat(paired.lid()).isEqualTo(linked.lid()).endsWith(":" + linked.device() + "@lid");
        assertThat(paired.platform()).isEqualTo("android");
        assertThat(events.await(CompanionEvent.LoggedIn.class, WAIT).jid()).isEqualTo(linked.jid());
        assertThat(events.awaitState(ConnectionState.RECONNECTING, WAIT).code()).isEqualTo(515);
        assertThat(companion.status().state()).isEqualTo(ConnectionState.CONNECTED);
        DeviceAccount stored = deviceStore.load(id).orElseThrow().account().orElseThrow();
        assertThat(stored.jid()).isEqualTo(linked.jid());
        assertThat(sandbox.phones().devices(PHONE)).extracting(LinkedDevice::jid).containsExactly(linked.jid());
    }

    @Test
    void aPhoneThatReadTheWrongAdvSecretIsRefusedWithHmacMismatchAndNothingIsLinked() throws Exception {
        UUID id = UUID.randomUUID();
        CompanionRecorder events = new CompanionRecorder();
        open(id, events).connect();
        String qr = events.await(CompanionEvent.QrCode.class, WAIT).text();
        String[] parts = qr.split(",");
        parts[3] = java.util.Base64.getEncoder().encodeToString(new byte[32]);

        var link = sandbox.phones().scan(PHONE, String.join(",", parts));

        assertThatThrownBy(() -> link.get(WAIT.toSeconds(), TimeUnit.SECONDS))
                .isInstanceOf(ExecutionException.class).hasMessageContaining("401 hmac-mismatch");
        assertThat(events.await(CompanionEvent.PairingFailed.class, WAIT).reason()).isEqualTo("hmac-mismatch");
        assertThat(sandbox.phones().devices(PHONE)).isEmpty();
        assertThat(deviceStore.load(id).orElseThrow().account()).isEmpty();
    }

    @Test
    void theQrExpiresAtTheEndOfItsLifetime() throws Exception {
        CompanionRecorder events = new CompanionRecorder();
        open(UUID.randomUUID(), events).connect();

        CompanionEvent.QrCode qr = events.await(CompanionEvent.QrCode.class, WAIT);

        Duration left = Duration.between(java.time.Instant.now(), qr.expiresAt());
        assertThat(left).isBetween(Duration.ofSeconds(50), Duration.ofSeconds(61));
    }

    @Test
    void aQrWhoseRefTheServerHasRetiredNoLongerLinks() throws Exception {
        sandbox.close();
        var fast = SandboxFixture.fastOptions();
        sandbox = SandboxFixture.start(sandboxStore, fast.withRefLifetimes(Duration.ofMillis(300),
                Duration.ofSeconds(20)));
        CompanionRecorder events = new CompanionRecorder();
        open(UUID.randomUUID(), events).connect();
        String first = events.await(CompanionEvent.QrCode.class, WAIT).text();

        Thread.sleep(600);

        assertThatThrownBy(() -> sandbox.phones().scan(PHONE, first)).isInstanceOf(NoSuchElementException.class);
        assertThat(sandbox.phones().devices(PHONE)).isEmpty();
    }

    @Test
    void theFirstLoginUploads812PreKeysToTheServer() throws Exception {
        UUID id = UUID.randomUUID();
        pairByQr(id, new CompanionRecorder());

        // uploaded, less the one the phone's history bootstrap took (it comes as soon as the keys are there)
        awaitUntil(() -> deviceStore.uploadedPreKeyCount(id) == PreKeys.INITIAL_COUNT - 1);
        assertThat(deviceStore.lastPreKeyId(id)).isEqualTo(812);
        assertThat(deviceStore.preKey(id, 1)).as("the one the bootstrap took").isEmpty();
    }

    @Test
    void whenPeersLeaveItFewerThanFivePreKeysTheServerSaysSoAndTheDeviceUploadsFiftyMore() throws Exception {
        UUID id = UUID.randomUUID();
        pairByQr(id, new CompanionRecorder());
        awaitUntil(() -> deviceStore.uploadedPreKeyCount(id) == PreKeys.INITIAL_COUNT - 1);
        int device = sandbox.phones().devices(PHONE).getFirst().device();
        // the phone's history bootstrap to its new companion took the first one (id 1)
        awaitUntil(() -> sandboxStore.phones().preKeyCount(PHONE, device) == PreKeys.INITIAL_COUNT - 1);
        // peers have consumed all but five of the device's one-time prekeys
        Jdbi.create(database).useHandle(handle -> handle.createUpdate(
                "delete from whatsapp.sandbox_prekey where phone = :phone and device = :device and key_id > 6")
                .bind("phone", PHONE).bind("device", device).execute());

        Node answer = fetchKeysAsAPeer(PHONE + ":" + device + "@s.whatsapp.net");

        Node user = answer.child("list").flatMap(list -> list.child("user")).orElseThrow();
        assertThat(user.child("key").flatMap(key -> key.child("id")).flatMap(Node::bytes).orElseThrow())
                .containsExactly(0, 0, 2);
        assertThat(user.child("identity").flatMap(Node::bytes).orElseThrow())
                .isEqualTo(deviceStore.load(id).orElseThrow().credentials().identityKey().publicKey());
        // the device used the bootstrap's prekey (the phone's pkmsg), so it holds one fewer of the first round
        awaitUntil(() -> deviceStore.uploadedPreKeyCount(id) == PreKeys.INITIAL_COUNT - 1 + PreKeys.TOP_UP_COUNT);
        awaitUntil(() -> sandboxStore.phones().preKeyCount(PHONE, device) == 4 + PreKeys.TOP_UP_COUNT);
    }

    @Test
    void aPairedDeviceReconnectsWithItsStoredCredentialsWithoutAQr() throws Exception {
        UUID id = UUID.randomUUID();
        Companion first = pairByQr(id, new CompanionRecorder());
        first.close();
        CompanionRecorder events = new CompanionRecorder();

        open(id, events).connect();

        events.await(CompanionEvent.LoggedIn.class, WAIT);
        assertThat(events.all(CompanionEvent.QrCode.class)).isEmpty();
        assertThat(events.all(CompanionEvent.Paired.class)).isEmpty();
    }

    @Test
    void aPairedDeviceLogsInAgainAfterTheSandboxRestarts() throws Exception {
        UUID id = UUID.randomUUID();
        pairByQr(id, new CompanionRecorder()).close();
        sandbox.close();
        sandbox = SandboxFixture.start(sandboxStore, SandboxFixture.fastOptions());
        CompanionRecorder events = new CompanionRecorder();

        open(id, events).connect();

        events.await(CompanionEvent.LoggedIn.class, WAIT);
        assertThat(sandbox.phones().devices(PHONE)).hasSize(1);
        assertThat(sandbox.phones().phone(PHONE).orElseThrow().pushName()).isEqualTo("Ana");
    }

    @Test
    void aCodeTypedOnThePhoneLinksTheDevice() throws Exception {
        UUID id = UUID.randomUUID();
        CompanionRecorder events = new CompanionRecorder();
        Companion companion = open(id, events);
        companion.connect();

        String code = companion.requestPairingCode("+55 11 98765-0001").get(WAIT.toSeconds(), TimeUnit.SECONDS);
        LinkedDevice linked = sandbox.phones().linkCode(PHONE, code).get(WAIT.toSeconds(), TimeUnit.SECONDS);

        assertThat(code).matches("[1-9A-HJ-NP-TV-Z]{4}-[1-9A-HJ-NP-TV-Z]{4}");
        assertThat(events.await(CompanionEvent.Paired.class, WAIT).jid()).isEqualTo(linked.jid());
        events.await(CompanionEvent.LoggedIn.class, WAIT);
        assertThat(deviceStore.load(id).orElseThrow().account()).isPresent();
    }

    @Test
    void aWrongCodeLinksNothing() throws Exception {
        UUID id = UUID.randomUUID();
        CompanionRecorder events = new CompanionRecorder();
        Companion companion = open(id, events);
        companion.connect();
        String code = companion.requestPairingCode(PHONE).get(WAIT.toSeconds(), TimeUnit.SECONDS);
        String wrong = code.equals("ABCD-EFGH") ? "ABCD-EFGJ" : "ABCD-EFGH";

        var link = sandbox.phones().linkCode(PHONE, wrong);

        assertThatThrownBy(() -> link.get(WAIT.toSeconds(), TimeUnit.SECONDS))
                .isInstanceOf(ExecutionException.class).hasMessageContaining("code does not match");
        events.await(CompanionEvent.PairingCodeRejected.class, WAIT);
        assertThat(events.all(CompanionEvent.Paired.class)).isEmpty();
        assertThat(sandbox.phones().devices(PHONE)).isEmpty();
        assertThat(deviceStore.load(id).orElseThrow().account()).isEmpty();
    }

    @Test
    void afterAWrongCodeTheQrStillLinks() throws Exception {
        CompanionRecorder events = new CompanionRecorder();
        Companion companion = open(UUID.randomUUID(), events);
        companion.connect();
        String qr = events.await(CompanionEvent.QrCode.class, WAIT).text();
        String code = companion.requestPairingCode(PHONE).get(WAIT.toSeconds(), TimeUnit.SECONDS);
        var wrong = sandbox.phones().linkCode(PHONE, code.equals("ABCD-EFGH") ? "ABCD-EFGJ" : "ABCD-EFGH");
        assertThatThrownBy(() -> wrong.get(WAIT.toSeconds(), TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class);
        events.await(CompanionEvent.PairingCodeRejected.class, WAIT);

        sandbox.phones().scan(PHONE, qr).get(WAIT.toSeconds(), TimeUnit.SECONDS);

        events.await(CompanionEvent.LoggedIn.class, WAIT);
    }

    @Test
    void aCodeForANumberWithoutAnAccountIsRefused() throws Exception {
        CompanionRecorder events = new CompanionRecorder();
        Companion companion = open(UUID.randomUUID(), events);
        companion.connect();

        var code = companion.requestPairingCode("4915112345678");

        assertThatThrownBy(() -> code.get(WAIT.toSeconds(), TimeUnit.SECONDS))
                .cause().isInstanceOf(IqErrorException.class);
    }

    @Test
    void aQrNoCompanionShowsCannotBeScanned() {
        String stale = "https://wa.me/settings/linked_devices#2@bm90LXNob3du,AAAA,AAAA,AAAA,1";

        assertThatThrownBy(() -> sandbox.phones().scan(PHONE, stale)).isInstanceOf(NoSuchElementException.class);
    }

    @Test
    void logoutRemovesTheDeviceFromThePhoneAndWipesItsCredentials() throws Exception {
        UUID id = UUID.randomUUID();
        Companion companion = pairByQr(id, new CompanionRecorder());

        companion.logout().get(WAIT.toSeconds(), TimeUnit.SECONDS);

        assertThat(sandbox.phones().devices(PHONE)).isEmpty();
        assertThat(deviceStore.load(id)).isEmpty();
    }

    @Test
    void unlinkingFromThePhoneLogsTheDeviceOutAndWipesItsCredentials() throws Exception {
        UUID id = UUID.randomUUID();
        CompanionRecorder events = new CompanionRecorder();
        pairByQr(id, events);
        int device = sandbox.phones().devices(PHONE).getFirst().device();

        assertThat(sandbox.phones().unlink(PHONE, device)).isTrue();

        assertThat(events.awaitState(ConnectionState.LOGGED_OUT, WAIT).code()).isEqualTo(401);
        assertThat(deviceStore.load(id)).isEmpty();
        assertThat(sandbox.phones().devices(PHONE)).isEmpty();
    }

    /** A logged-in device of another account asks the server for a key bundle, as a sender does. */
    private Node fetchKeysAsAPeer(String jid) throws Exception {
        DeviceCredentials keys = DeviceCredentials.generate(random);
        sandboxStore.phones().link(new SandboxDevice("4915100000001", 1, "77001:1", keys.noiseKey().publicKey(),
                keys.identityKey().publicKey()), "chrome", 1, java.time.Instant.now());
        var connected = new java.util.concurrent.CountDownLatch(1);
        try (WireClient peer = new WireClient(settings(sandbox), keys,
                java.util.Optional.of(Jid.device("4915100000001", 1, Jid.USER_SERVER)), new WireClient.Listener() {
                    @Override
                    public void onStatus(ConnectionStatus status) {
                        if (status.state() == ConnectionState.CONNECTED) {
                            connected.countDown();
                        }
                    }

                    @Override
                    public void onQr(String qrText) {
                        throw new AssertionError("a known device is never shown a QR");
                    }
                }, Clock.systemUTC(), random)) {
            peer.connect();
            assertThat(connected.await(WAIT.toSeconds(), TimeUnit.SECONDS)).isTrue();
            return peer.sendIq("encrypt", "get", List.of(Node.withChildren("key", java.util.Map.of(),
                    List.of(Node.of("user", Node.attrs("jid", jid, "reason", "identity"))))))
                    .get(WAIT.toSeconds(), TimeUnit.SECONDS);
        }
    }

    @Test
    void aLoggedOutDeviceCannotReconnectButANewOneWithTheSameIdRegistersAfresh() throws Exception {
        UUID id = UUID.randomUUID();
        CompanionRecorder events = new CompanionRecorder();
        Companion loggedOut = pairByQr(id, events);
        byte[] oldIdentity = deviceStore.load(id).orElseThrow().credentials().identityKey().publicKey();
        sandbox.phones().unlink(PHONE, sandbox.phones().devices(PHONE).getFirst().device());
        events.awaitState(ConnectionState.LOGGED_OUT, WAIT);
        CompanionRecorder fresh = new CompanionRecorder();

        assertThatThrownBy(loggedOut::connect).isInstanceOf(IllegalStateException.class);
        open(id, fresh).connect();

        fresh.await(CompanionEvent.QrCode.class, WAIT);
        assertThat(deviceStore.load(id).orElseThrow().credentials().identityKey().publicKey())
                .isNotEqualTo(oldIdentity);
    }

    private Companion pairByQr(UUID id, CompanionRecorder events) throws Exception {
        Companion companion = open(id, events);
        companion.connect();
        String qr = events.await(CompanionEvent.QrCode.class, WAIT).text();
        sandbox.phones().scan(PHONE, qr).get(WAIT.toSeconds(), TimeUnit.SECONDS);
        events.await(CompanionEvent.LoggedIn.class, WAIT);
        return companion;
    }

    private Companion open(UUID id, CompanionRecorder events) {
        Companion companion = Companion.open(settings(sandbox), DeviceStores.of(deviceStore), id, events,
                Clock.systemUTC(), random);
        companions.add(companion);
        return companion;
    }

    private static void awaitUntil(java.util.function.BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("condition not met within " + WAIT);
            }
            Thread.sleep(50);
        }
    }

    private static ClientSettings settings(SandboxServer server) {
        return SandboxFixture.fastClientSettings(server);
    }
}
