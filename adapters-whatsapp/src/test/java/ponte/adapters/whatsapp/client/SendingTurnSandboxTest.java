package ponte.adapters.whatsapp.client;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import ponte.adapters.whatsapp.sandbox.ReceivedMessage;
import ponte.adapters.whatsapp.sandbox.SandboxFixture;
import ponte.adapters.whatsapp.sandbox.SandboxServer;
import ponte.adapters.whatsapp.sandbox.store.sql.SqlSandboxStore;
import ponte.adapters.whatsapp.socket.SocketSettings;
import ponte.adapters.whatsapp.store.DeviceStores;
import ponte.adapters.whatsapp.store.TestCipher;
import ponte.adapters.whatsapp.store.sql.SqlDeviceStore;

/**
 * A device's 1:1 sends take turns to encrypt and write, not to wait for the server's ack: with the server's answers
 * held back (a relay between our companion and the sandbox stops passing them on), a second message still goes
 * out and is decrypted by its recipient while the first one's ack is outstanding. Waiting for each ack inside the
 * turn once queued an instance's sends behind each other's round trips (docs/benchmarks.md, gateway send).
 */
class SendingTurnSandboxTest {

    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final String ANA = "5511987650021";
    private static final String BRUNO = "5511987650022";
    private final SecureRandom random = new SecureRandom();
    private SandboxServer sandbox;
    private SqlDeviceStore deviceStore;
    private Relay relay;
    private Companion companion;

    @BeforeEach
    void start() throws Exception {
        var database = SandboxFixture.database();
        deviceStore = SqlDeviceStore.migrateAndOpen(database, new TestCipher(), Clock.systemUTC());
        sandbox = SandboxFixture.start(SqlSandboxStore.migrateAndOpen(database), SandboxFixture.fastOptions());
        sandbox.phones().create(ANA, "Ana");
        sandbox.phones().create(BRUNO, "Bruno");
        relay = new Relay(sandbox.wsUrl());
    }

    @AfterEach
    void stop() throws Exception {
        if (companion != null) {
            companion.close();
        }
        relay.close();
        sandbox.close();
    }

    @Test
    void aSecondSendGoesOutWhileTheFirstOnesAckIsOutstanding() throws Exception {
        CompanionRecorder events = new CompanionRecorder();
        // keepalive and IQ timeouts well above the few seconds the server's answers are held back
        var settings = ClientSettings.of(SocketSettings.whatsapp().withEndpoint(relay.url(), sandbox.trustRoot()),
                WaVersion.DEFAULT).withTimings(Duration.ofSeconds(15), Duration.ofSeconds(20),
                Duration.ofSeconds(25), Duration.ofSeconds(60), Duration.ofMillis(100));
        companion = Companion.open(settings, DeviceStores.of(deviceStore), UUID.randomUUID(), events,
                Clock.systemUTC(), random);
        companion.connect();
        sandbox.phones().scan(ANA, events.await(CompanionEvent.QrCode.class, WAIT).text())
                .get(WAIT.toSeconds(), TimeUnit.SECONDS);
        events.await(CompanionEvent.LoggedIn.class, WAIT);
        events.await(CompanionEvent.PushNameLearned.class, WAIT);
        // Bruno's devices and session are known after this one: the next sends ask the server nothing first
        companion.sendText(BRUNO, "primeira", messageId()).get(WAIT.toSeconds(), TimeUnit.SECONDS);

        relay.holdAnswers(true);
        var second = companion.sendText(BRUNO, "segunda", messageId());
        var third = companion.sendText(BRUNO, "terceira", messageId());

        assertThat(awaitReceived(3)).extracting(ReceivedMessage::text)
                .containsExactly("primeira", "segunda", "terceira");
        assertThat(second).as("its ack is held back").isNotDone();
        relay.holdAnswers(false);
        assertThat(second.get(WAIT.toSeconds(), TimeUnit.SECONDS).chat()).isEqualTo(BRUNO + "@s.whatsapp.net");
        assertThat(third.get(WAIT.toSeconds(), TimeUnit.SECONDS).chat()).isEqualTo(BRUNO + "@s.whatsapp.net");
    }

    private List<ReceivedMessage> awaitReceived(int count) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        List<ReceivedMessage> received = sandbox.phones().received(BRUNO);
        while (received.size() < count && System.nanoTime() < deadline) {
            Thread.sleep(50);
            received = sandbox.phones().received(BRUNO);
        }
        return received;
    }

    private String messageId() {
        byte[] bytes = new byte[8];
        random.nextBytes(bytes);
        return "3EB0" + HexFormat.of().withUpperCase().formatHex(bytes);
    }

    /** A TCP relay to the sandbox whose server-to-client direction can be held (the bytes wait, in order). */
    private static final class Relay implements AutoCloseable {
        private final ServerSocket listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        private final URI target;
        private final List<Socket> sockets = new CopyOnWriteArrayList<>();
        private boolean held;

        Relay(URI target) throws IOException {
            this.target = target;
            Thread.ofVirtual().start(this::accept);
        }

        URI url() {
            return URI.create("ws://127.0.0.1:" + listener.getLocalPort() + target.getRawPath());
        }

        synchronized void holdAnswers(boolean hold) {
            held = hold;
            notifyAll();
        }

        private synchronized void awaitReleased() throws InterruptedException {
            while (held) {
                wait();
            }
        }

        private void accept() {
            try {
                while (true) {
                    Socket client = listener.accept();
                    Socket server = new Socket(target.getHost(), target.getPort());
                    sockets.add(client);
                    sockets.add(server);
                    Thread.ofVirtual().start(() -> pump(client::getInputStream, server::getOutputStream, false));
                    Thread.ofVirtual().start(() -> pump(server::getInputStream, client::getOutputStream, true));
                }
            } catch (IOException closed) {
                // the relay was closed
            }
        }

        private void pump(IoSupplier<InputStream> from, IoSupplier<OutputStream> to, boolean answers) {
            byte[] buffer = new byte[16 * 1024];
            try (InputStream in = from.get(); OutputStream out = to.get()) {
                for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
                    if (answers) {
                        awaitReleased();
                    }
                    out.write(buffer, 0, n);
                    out.flush();
                }
            } catch (IOException | InterruptedException closed) {
                // one side went away: so does the relayed connection
            }
        }

        @Override
        public void close() throws IOException {
            holdAnswers(false);
            listener.close();
            for (Socket socket : sockets) {
                socket.close();
            }
        }

        @FunctionalInterface
        private interface IoSupplier<T> {
            T get() throws IOException;
        }
    }
}
