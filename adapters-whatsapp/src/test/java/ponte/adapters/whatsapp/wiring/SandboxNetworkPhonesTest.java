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
    void aTextBetweenTwoPhonesArrivesNamedByItsSenderAndItsDeliveryIsSeen() throws Exception {
        var ana = network.createPhone(PHONE, "Ana");
        network.createPhone("5511912340001", "Bruno");

        String id = network.sendText(PHONE, "5511912340001", "Oi Bruno");

        var received = await(() -> network.received("5511912340001"), 1);
        assertThat(received.getFirst().id()).isEqualTo(id);
        assertThat(received.getFirst().text()).isEqualTo("Oi Bruno");
        assertThat(received.getFirst().fromMe()).isFalse();
        assertThat(received.getFirst().chatJid()).isEqualTo(PHONE + "@s.whatsapp.net");
        assertThat(received.getFirst().senderJid()).isEqualTo(PHONE + "@s.whatsapp.net");
        assertThat(received.getFirst().senderLid()).isEqualTo(ana.lid() + "@lid");
        assertThat(received.getFirst().senderPushName()).isEqualTo("Ana");
        var seen = await(() -> network.receipts(PHONE), 1);
        assertThat(seen.getFirst().messageId()).isEqualTo(id);
        assertThat(seen.getFirst().type()).isEqualTo("delivered");
        assertThat(network.call(PHONE, "5511912340001", false)).matches("[0-9A-F]{32}");
    }

    @Test
    void anUnknownPhoneIsNotFoundAndAPeerThatIsNoPhoneIsNotOnWhatsApp() {
        network.createPhone(PHONE, "Ana");

        assertThatThrownBy(() -> network.sendText("5511900000000", PHONE, "alô"))
                .isInstanceOf(NotFoundException.class);
        assertThatThrownBy(() -> network.received("5511900000000")).isInstanceOf(NotFoundException.class);
        assertThatThrownBy(() -> network.sendText(PHONE, "5511900000000", "alô"))
                .isInstanceOf(ValidationException.class).hasMessageContaining("to").hasMessageContaining(
                        "is not on WhatsApp");
        assertThatThrownBy(() -> network.markRead(PHONE, "5511900000000", java.util.List.of("A1")))
                .isInstanceOf(ValidationException.class).hasMessageContaining("chat");
        assertThatThrownBy(() -> network.call(PHONE, "5511900000000", false))
                .isInstanceOf(ValidationException.class).hasMessageContaining("to");
    }

    private static <T> java.util.List<T> await(java.util.function.Supplier<java.util.List<T>> read, int size)
            throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        var value = read.get();
        while (value.size() < size && System.nanoTime() < deadline) {
            Thread.sleep(20);
            value = read.get();
        }
        assertThat(value).as("awaited").hasSizeGreaterThanOrEqualTo(size);
        return value;
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
