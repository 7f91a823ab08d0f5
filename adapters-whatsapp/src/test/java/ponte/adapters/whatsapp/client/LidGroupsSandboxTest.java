package ponte.adapters.whatsapp.client;

import static org.assertj.core.api.Assertions.assertThat;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import ponte.adapters.whatsapp.sandbox.ReceivedMessage;
import ponte.adapters.whatsapp.sandbox.SandboxFixture;
import ponte.adapters.whatsapp.sandbox.SandboxServer;
import ponte.adapters.whatsapp.sandbox.store.LinkedDevice;
import ponte.adapters.whatsapp.sandbox.store.sql.SqlSandboxStore;
import ponte.adapters.whatsapp.socket.SocketSettings;
import ponte.adapters.whatsapp.store.DeviceStores;
import ponte.adapters.whatsapp.store.TestCipher;
import ponte.adapters.whatsapp.store.sql.SqlDeviceStore;
import ponte.domain.message.Message;

/**
 * A LID-addressed group ({@code addressing_mode="lid"}, as WhatsApp's newer groups are) through the sandbox: its
 * metadata names participants by LID, our text goes to their LID devices under our LID sender key and every phone
 * decrypts it, and a phone's text reaches us with the sender's number and LID.
 */
class LidGroupsSandboxTest {

    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final String ANA = "5511987656011";
    private static final String BRUNO = "5511987656012";
    private static final String CARLA = "5511987656013";
    private final SecureRandom random = new SecureRandom();
    private final List<Companion> companions = new ArrayList<>();
    private final CompanionRecorder events = new CompanionRecorder();
    private SandboxServer sandbox;
    private Companion companion;
    private LinkedDevice ours;

    @BeforeEach
    void start() throws Exception {
        var database = SandboxFixture.database();
        SqlDeviceStore deviceStore = SqlDeviceStore.migrateAndOpen(database, new TestCipher(), Clock.systemUTC());
        sandbox = SandboxFixture.start(SqlSandboxStore.migrateAndOpen(database), SandboxFixture.fastOptions());
        sandbox.phones().create(ANA, "Ana");
        sandbox.phones().create(BRUNO, "Bruno");
        sandbox.phones().create(CARLA, "Carla");
        companion = Companion.open(ClientSettings.of(SocketSettings.whatsapp().withEndpoint(sandbox.wsUrl(),
                sandbox.trustRoot()), WaVersion.DEFAULT), DeviceStores.of(deviceStore), UUID.randomUUID(), events,
                Clock.systemUTC(), random);
        companions.add(companion);
        companion.connect();
        ours = sandbox.phones().scan(ANA, events.await(CompanionEvent.QrCode.class, WAIT).text())
                .get(WAIT.toSeconds(), TimeUnit.SECONDS);
        events.await(CompanionEvent.LoggedIn.class, WAIT);
        events.await(CompanionEvent.PushNameLearned.class, WAIT);
    }

    @AfterEach
    void stop() throws Exception {
        companions.forEach(Companion::close);
        sandbox.close();
    }

    @Test
    void aLidAddressedGroupNamesEveryoneByLidAndCarriesTextsBothWays() throws Exception {
        String group = sandbox.phones().createGroup(CARLA, "Trabalho", List.of(ANA, BRUNO), true);
        String anaLid = sandbox.phones().phone(ANA).orElseThrow().lid();
        String brunoLid = sandbox.phones().phone(BRUNO).orElseThrow().lid();
        String carlaLid = sandbox.phones().phone(CARLA).orElseThrow().lid();

        GroupInfo info = companion.groupInfo(group).get(WAIT.toSeconds(), TimeUnit.SECONDS).orElseThrow();
        assertThat(info.addressingMode()).isEqualTo("lid");
        assertThat(info.participants()).extracting(GroupInfo.Participant::jid)
                .containsExactly(carlaLid + "@lid", anaLid + "@lid", brunoLid + "@lid");
        assertThat(info.participants().getLast().other()).contains(BRUNO + "@s.whatsapp.net");

        SentMessage sent = companion.sendGroupText(group, "Bom dia, equipe", messageId())
                .get(WAIT.toSeconds(), TimeUnit.SECONDS);

        // our key went to every other device, each named by LID
        assertThat(sent.devices()).containsExactlyInAnyOrder(carlaLid + "@lid", brunoLid + "@lid", anaLid + "@lid");
        String ourLidDevice = anaLid + ours.jid().substring(ours.jid().indexOf(':'), ours.jid().indexOf('@')) + "@lid";
        for (String member : List.of(BRUNO, CARLA)) {
            ReceivedMessage received = await(() -> sandbox.phones().received(member), list -> !list.isEmpty())
                    .getFirst();
            assertThat(received.id()).isEqualTo(sent.id());
            assertThat(received.text()).isEqualTo("Bom dia, equipe");
            assertThat(received.chat()).isEqualTo(group);
            assertThat(received.fromDevice()).isEqualTo(ourLidDevice);
        }

        String fromCarla = sandbox.phones().sendGroupText(CARLA, group, "Reunião às 10h");
        Message message = await(() -> events.all(CompanionEvent.MessageReceived.class),
                list -> list.stream().anyMatch(m -> m.exchanged().message().id().value().equals(fromCarla)))
                .stream().filter(m -> m.exchanged().message().id().value().equals(fromCarla)).findFirst()
                .orElseThrow().exchanged().message();
        assertThat(message.chatJid().toString()).isEqualTo(group);
        assertThat(message.body()).isEqualTo(new Message.Text("Reunião às 10h"));
        assertThat(message.sender().lid().map(Object::toString)).contains(carlaLid + "@lid");
        assertThat(message.sender().jid().map(Object::toString)).contains(CARLA + "@s.whatsapp.net");
    }

    private String messageId() {
        byte[] bytes = new byte[8];
        random.nextBytes(bytes);
        return "3EB0" + HexFormat.of().withUpperCase().formatHex(bytes);
    }

    private static <T> T await(Supplier<T> read, Predicate<T> done) throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        T value = read.get();
        while (!done.test(value)) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not within " + WAIT + ": " + value);
            }
            Thread.sleep(50);
            value = read.get();
        }
        return value;
    }
}
