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
import ponte.adapters.whatsapp.store.DeviceStores;
import ponte.adapters.whatsapp.store.TestCipher;
import ponte.adapters.whatsapp.store.sql.SqlDeviceStore;
import ponte.domain.message.Message;

/**
 * Group sends through the sandbox across a restart and a lost sender key: which devices hold our key survives a
 * restart (only a device that lacks it is handed it), and a member's phone that cannot decrypt our {@code skmsg}
 * asks with a group retry receipt, which we answer with the key and the message in one 1:1 copy.
 */
class GroupRetryAndHoldersSandboxTest {

    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final String ANA = "5511987654011";
    private static final String BRUNO = "5511987654012";
    private static final String CARLA = "5511987654013";
    private final SecureRandom random = new SecureRandom();
    private final List<Companion> companions = new ArrayList<>();
    private SandboxServer sandbox;
    private SqlDeviceStore deviceStore;
    private UUID id;
    private Companion companion;
    private LinkedDevice ours;

    @BeforeEach
    void start() throws Exception {
        var database = SandboxFixture.database();
        deviceStore = SqlDeviceStore.migrateAndOpen(database, new TestCipher(), Clock.systemUTC());
        sandbox = SandboxFixture.start(SqlSandboxStore.migrateAndOpen(database), SandboxFixture.fastOptions());
        sandbox.phones().create(ANA, "Ana");
        sandbox.phones().create(BRUNO, "Bruno");
        sandbox.phones().create(CARLA, "Carla");
        id = UUID.randomUUID();
        CompanionRecorder events = new CompanionRecorder();
        companion = open(id, events);
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
    void afterARestartOnlyANewDeviceOfAMemberIsHandedOurSenderKey() throws Exception {
        String group = sandbox.phones().createGroup(CARLA, "Trabalho", List.of(ANA, BRUNO));
        SentMessage first = companion.sendGroupText(group, "antes", messageId())
                .get(WAIT.toSeconds(), TimeUnit.SECONDS);
        assertThat(first.devices()).hasSize(3);

        // Bruno links a companion of his own while ours is down
        CompanionRecorder brunosEvents = new CompanionRecorder();
        Companion brunos = open(UUID.randomUUID(), brunosEvents);
        brunos.connect();
        LinkedDevice brunosDevice = sandbox.phones().scan(BRUNO, brunosEvents.await(CompanionEvent.QrCode.class, WAIT)
                .text()).get(WAIT.toSeconds(), TimeUnit.SECONDS);
        brunosEvents.await(CompanionEvent.LoggedIn.class, WAIT);
        // its keys are up once Bruno's phone could hand it the history bootstrap
        brunosEvents.await(CompanionEvent.PushNameLearned.class, WAIT);
        companion.close();
        CompanionRecorder again = new CompanionRecorder();
        companion = open(id, again);
        companion.connect();
        again.await(CompanionEvent.LoggedIn.class, WAIT);

        SentMessage second = companion.sendGroupText(group, "depois", messageId())
                .get(WAIT.toSeconds(), TimeUnit.SECONDS);

        // the phones kept our key from before the restart; only Bruno's new device lacked it
        assertThat(second.devices()).containsExactly(brunosDevice.jid());
        Message atBrunosDevice = await(() -> brunosEvents.all(CompanionEvent.MessageReceived.class),
                list -> list.stream().anyMatch(m -> m.exchanged().message().id().value().equals(second.id())))
                .getLast().exchanged().message();
        assertThat(atBrunosDevice.body()).isEqualTo(new Message.Text("depois"));
        for (String member : List.of(BRUNO, CARLA)) {
            assertThat(await(() -> sandbox.phones().received(member), list -> list.size() == 2))
                    .extracting(ReceivedMessage::text).containsExactly("antes", "depois");
        }
    }

    @Test
    void aPhoneThatLostOurSenderKeyAsksWithAGroupRetryAndGetsTheKeyWithTheMessage() throws Exception {
        String group = sandbox.phones().createGroup(CARLA, "Trabalho", List.of(ANA, BRUNO));
        SentMessage first = companion.sendGroupText(group, "antes", messageId())
                .get(WAIT.toSeconds(), TimeUnit.SECONDS);
        await(() -> sandbox.phones().received(BRUNO), list -> list.size() == 1);

        sandbox.phones().forgetSenderKey(BRUNO, group, ours.jid());
        SentMessage second = companion.sendGroupText(group, "depois", messageId())
                .get(WAIT.toSeconds(), TimeUnit.SECONDS);
        String third = messageId();
        companion.sendGroupText(group, "e mais", third).get(WAIT.toSeconds(), TimeUnit.SECONDS);

        // the skmsg alone could not be read: only the retry answer (key and text in one copy) brought the text
        assertThat(second.devices()).isEmpty();
        List<ReceivedMessage> atBruno = await(() -> sandbox.phones().received(BRUNO), list -> list.size() == 3);
        assertThat(atBruno).extracting(ReceivedMessage::id).containsExactlyInAnyOrder(first.id(), second.id(), third);
        assertThat(atBruno).extracting(ReceivedMessage::text).containsExactlyInAnyOrder("antes", "depois", "e mais");
        assertThat(atBruno).allSatisfy(m -> {
            assertThat(m.chat()).isEqualTo(group);
            assertThat(m.fromDevice()).isEqualTo(ours.jid());
        });
        assertThat(await(() -> sandbox.phones().received(CARLA), list -> list.size() == 3))
                .extracting(ReceivedMessage::text).containsExactly("antes", "depois", "e mais");
    }

    private Companion open(UUID device, CompanionRecorder events) {
        Companion opened = Companion.open(settings(sandbox), DeviceStores.of(deviceStore), device, events,
                Clock.systemUTC(), random);
        companions.add(opened);
        return opened;
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

    private static ClientSettings settings(SandboxServer server) {
        return SandboxFixture.fastClientSettings(server);
    }
}
