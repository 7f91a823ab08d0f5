package ponte.adapters.whatsapp.wiring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import ponte.adapters.whatsapp.client.ClientSettings;
import ponte.adapters.whatsapp.client.Companion;
import ponte.adapters.whatsapp.client.CompanionEvent;
import ponte.adapters.whatsapp.client.WaVersion;
import ponte.adapters.whatsapp.socket.SocketSettings;
import ponte.adapters.whatsapp.socket.TrustRoot;
import ponte.adapters.whatsapp.store.DeviceStores;
import ponte.adapters.whatsapp.store.TestCipher;
import ponte.adapters.whatsapp.store.sql.SqlDeviceStore;
import ponte.application.error.ConflictException;
import ponte.application.error.NotFoundException;
import ponte.application.port.out.SandboxPort.SandboxLinkedDevice;
import ponte.domain.validation.ValidationException;
import ponte.testing.PostgresFixture;

/** The sandbox's phones through the port the HTTP routes call, linking a companion that dials the network. */
class SandboxNetworkPhonesTest {

    private static final String PHONE = "5511912340000";
    private DataSource database;
    private SandboxNetwork network;
    private Companion companion;
    private final BlockingQueue<CompanionEvent> events = new LinkedBlockingQueue<>();

    @BeforeEach
    void start() {
        database = PostgresFixture.newDatabase().dataSource();
        network = SandboxNetwork.start(database, SandboxSettings.loopback(0));
    }

    @AfterEach
    void stop() {
        if (companion != null) {
            companion.close();
        }
        network.close();
    }

    @Test
    void aPhoneCreatedThroughThePortLinksTheInstanceWhoseQrItScans() throws Exception {
        var phone = network.createPhone(PHONE, "Ana");
        String qr = connectAndAwaitQr();

        SandboxLinkedDevice linked = network.scan(PHONE, qr);

        assertThat(phone.lid()).hasSize(15);
        assertThat(linked.jid()).isEqualTo(PHONE + ":1@s.whatsapp.net");
        assertThat(linked.lid()).isEqualTo(phone.lid() + ":1@lid");
        assertThat(network.devices(PHONE)).containsExactly(linked);
        assertThat(network.phones()).containsExactly(phone);
    }

    @Test
    void aSecondPhoneWithTheSameNumberIsAConflict() {
        network.createPhone(PHONE, "Ana");

        assertThatThrownBy(() -> network.createPhone(PHONE, "Bia")).isInstanceOf(ConflictException.class);
    }

    @Test
    void aNumberThatIsNotInternationalDigitsIsInvalid() {
        assertThatThrownBy(() -> network.createPhone("+55 11", "Ana")).isInstanceOf(ValidationException.class)
                .hasMessageStartingWith("phone_number");
    }

    @Test
    void scanningWithAnUnknownPhoneOrAQrNobodyShowsIsNotFound() {
        network.createPhone(PHONE, "Ana");
        String nobody = "https://wa.me/settings/linked_devices#2@eA==,AA==,AA==,AA==,1";

        assertThatThrownBy(() -> network.scan("4915100000000", nobody)).isInstanceOf(NotFoundException.class);
        assertThatThrownBy(() -> network.scan(PHONE, nobody)).isInstanceOf(NotFoundException.class);
        assertThatThrownBy(() -> network.scan(PHONE, "not a qr")).isInstanceOf(ValidationException.class);
    }

    @Test
    void aWrongCodeIsAConflictAndTheRightOneLinks() throws Exception {
        network.createPhone(PHONE, "Ana");
        connectAndAwaitQr();
        String code = companion.requestPairingCode(PHONE).get(20, TimeUnit.SECONDS);

        assertThatThrownBy(() -> network.linkCode(PHONE, "0OIU-1111")).isInstanceOf(ValidationException.class)
                .hasMessageStartingWith("code");
        assertThatThrownBy(() -> network.linkCode(PHONE, "1111-1111")).isInstanceOf(ConflictException.class);
        assertThat(network.devices(PHONE)).isEmpty();
        String second = companion.requestPairingCode(PHONE).get(20, TimeUnit.SECONDS);
        assertThat(network.linkCode(PHONE, second.toLowerCase()).jid()).startsWith(PHONE + ":");
        assertThat(second).isNotEqualTo(code);
    }

    @Test
    void unlinkingThroughThePortEmptiesTheDeviceList() throws Exception {
        network.createPhone(PHONE, "Ana");
        SandboxLinkedDevice linked = network.scan(PHONE, connectAndAwaitQr());

        assertThat(network.unlink(PHONE, linked.device())).isTrue();

        assertThat(network.devices(PHONE)).isEmpty();
        assertThat(network.unlink(PHONE, linked.device())).isFalse();
    }

    private String connectAndAwaitQr() throws InterruptedException {
        var store = SqlDeviceStore.migrateAndOpen(database, new TestCipher(), Clock.systemUTC());
        var settings = ClientSettings.of(SocketSettings.whatsapp().withEndpoint(URI.create(network.wsUrl()),
                new TrustRoot(network.rootPublicKey(), 0)), WaVersion.DEFAULT);
        companion = Companion.open(settings, DeviceStores.of(store), UUID.randomUUID(), events::add,
                Clock.systemUTC(), new SecureRandom());
        companion.connect();
        while (true) {
            CompanionEvent event = events.poll(20, TimeUnit.SECONDS);
            if (event == null) {
                throw new AssertionError("no QR code");
            }
            if (event instanceof CompanionEvent.QrCode qr) {
                return qr.text();
            }
        }
    }
}
