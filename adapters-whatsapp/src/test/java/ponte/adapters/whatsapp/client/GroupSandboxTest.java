package ponte.adapters.whatsapp.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import ponte.adapters.whatsapp.sandbox.ReceivedMessage;
import ponte.adapters.whatsapp.sandbox.SandboxFixture;
import ponte.adapters.whatsapp.sandbox.SandboxServer;
import ponte.adapters.whatsapp.sandbox.store.sql.SqlSandboxStore;
import ponte.adapters.whatsapp.store.DeviceStores;
import ponte.adapters.whatsapp.store.TestCipher;
import ponte.adapters.whatsapp.store.sql.SqlDeviceStore;
import ponte.domain.message.Message;
import ponte.domain.message.MessageExchanged;

/**
 * Our companion, linked to sandbox phone Ana, in a group Carla's phone created with Ana and Bruno: it reads the
 * group's metadata (and reads it again after a {@code w:gp2} change), sends group text the phones decrypt with the
 * sender key it handed them, decrypts the phones' group text with theirs, and is refused in a group it is not in.
 */
class GroupSandboxTest {

    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final String ANA = "5511987651011";
    private static final String BRUNO = "5511987651012";
    private static final String CARLA = "5511987651013";
    private final SecureRandom random = new SecureRandom();
    private final List<Companion> companions = new ArrayList<>();
    private final CompanionRecorder events = new CompanionRecorder();
    private SandboxServer sandbox;
    private SqlDeviceStore deviceStore;
    private Companion companion;

    @BeforeEach
    void start() throws Exception {
        var database = SandboxFixture.database();
        deviceStore = SqlDeviceStore.migrateAndOpen(database, new TestCipher(), Clock.systemUTC());
        sandbox = SandboxFixture.start(SqlSandboxStore.migrateAndOpen(database), SandboxFixture.fastOptions());
        sandbox.phones().create(ANA, "Ana");
        sandbox.phones().create(BRUNO, "Bruno");
        sandbox.phones().create(CARLA, "Carla");
        companion = Companion.open(settings(sandbox), DeviceStores.of(deviceStore), UUID.randomUUID(), events,
                Clock.systemUTC(), random);
        companions.add(companion);
        companion.connect();
        sandbox.phones().scan(ANA, events.await(CompanionEvent.QrCode.class, WAIT).text())
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
    void theGroupsMetadataNamesItsParticipantsWithTheirLidsAndIsReadAgainAfterAChange() throws Exception {
        String group = sandbox.phones().createGroup(CARLA, "Trabalho", List.of(ANA, BRUNO));

        GroupInfo info = companion.groupInfo(group).get(WAIT.toSeconds(), TimeUnit.SECONDS).orElseThrow();

        assertThat(info.jid()).isEqualTo(group);
        assertThat(info.subject()).isEqualTo("Trabalho");
        assertThat(info.addressingMode()).isEqualTo("pn");
        assertThat(info.participants()).extracting(GroupInfo.Participant::jid)
                .containsExactly(CARLA + "@s.whatsapp.net", ANA + "@s.whatsapp.net", BRUNO + "@s.whatsapp.net");
        assertThat(info.participants().getFirst().role()).isEqualTo("superadmin");
        assertThat(info.participants().get(1).other())
                .contains(sandbox.phones().phone(ANA).orElseThrow().lid() + "@lid");

        sandbox.phones().changeGroup(CARLA, group, "remove", List.of(BRUNO));

        GroupInfo after = await(() -> companion.groupInfo(group).join().orElseThrow(),
                read -> read.participants().size() == 2);
        assertThat(after.participants()).extracting(GroupInfo.Participant::jid)
                .containsExactly(CARLA + "@s.whatsapp.net", ANA + "@s.whatsapp.net");
        assertThat(companion.groupInfo("120363000000000001@g.us").get(WAIT.toSeconds(), TimeUnit.SECONDS)).isEmpty();
        assertThatThrownBy(() -> companion.groupInfo(BRUNO + "@s.whatsapp.net"))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void ourGroupTextIsDecryptedByEveryMembersPhoneAndTheSenderKeyIsHandedOnce() throws Exception {
        String group = sandbox.phones().createGroup(CARLA, "Trabalho", List.of(ANA, BRUNO));

        SentMessage first = companion.sendGroupText(group, "Bom dia, equipe", messageId())
                .get(WAIT.toSeconds(), TimeUnit.SECONDS);
        SentMessage second = companion.sendGroupText(group, "Reunião às 10h", messageId())
                .get(WAIT.toSeconds(), TimeUnit.SECONDS);

        assertThat(first.chat()).isEqualTo(group);
        // our sender key went to every other device of the group: Carla's, Bruno's and Ana's own phone
        assertThat(first.devices()).containsExactlyInAnyOrder(CARLA + "@s.whatsapp.net", BRUNO + "@s.whatsapp.net",
                ANA + "@s.whatsapp.net");
        assertThat(first.newSessions()).isEqualTo(2);
        assertThat(second.devices()).isEmpty();
        assertThat(second.preKeyMessages()).isZero();
        for (String member : List.of(BRUNO, CARLA)) {
            List<ReceivedMessage> received = await(() -> sandbox.phones().received(member), list -> list.size() == 2);
            assertThat(received).extracting(ReceivedMessage::id).containsExactly(first.id(), second.id());
            assertThat(received).extracting(ReceivedMessage::text)
                    .containsExactly("Bom dia, equipe", "Reunião às 10h");
            assertThat(received).allSatisfy(m -> {
                assertThat(m.chat()).isEqualTo(group);
                assertThat(m.from()).isEqualTo(ANA + "@s.whatsapp.net");
                assertThat(m.sentByMe()).isFalse();
            });
        }
        // Ana's own phone reads what her companion sent to the group
        assertThat(await(() -> sandbox.phones().received(ANA), list -> list.size() == 2))
                .allSatisfy(m -> assertThat(m.sentByMe()).isTrue());
    }

    @Test
    void aPhonesGroupTextIsDecryptedWithTheSendersPhoneNumberAndLid() throws Exception {
        String group = sandbox.phones().createGroup(CARLA, "Trabalho", List.of(ANA, BRUNO));

        String id = sandbox.phones().sendGroupText(CARLA, group, "Olá a todos");

        Message message = await(() -> events.all(CompanionEvent.MessageReceived.class), list -> !list.isEmpty())
                .getFirst().exchanged().message();
        assertThat(message.id().value()).isEqualTo(id);
        assertThat(message.chatJid().toString()).isEqualTo(group);
        assertThat(message.isGroup()).isTrue();
        assertThat(message.fromMe()).isFalse();
        assertThat(message.body()).isEqualTo(new Message.Text("Olá a todos"));
        assertThat(message.sender().jid().map(Object::toString)).contains(CARLA + "@s.whatsapp.net");
        assertThat(message.sender().lid().map(Object::toString))
                .contains(sandbox.phones().phone(CARLA).orElseThrow().lid() + "@lid");
        assertThat(events.all(CompanionEvent.MessageReceived.class).getFirst().exchanged().kind())
                .isEqualTo(MessageExchanged.Kind.RECEIVED);

        // the second message rides on the sender key the first handed us
        String next = sandbox.phones().sendGroupText(CARLA, group, "Segunda");
        assertThat(await(() -> events.all(CompanionEvent.MessageReceived.class), list -> list.size() == 2).get(1)
                .exchanged().message().body()).isEqualTo(new Message.Text("Segunda"));
        assertThat(events.all(CompanionEvent.MessageReceived.class).get(1).exchanged().message().id().value())
                .isEqualTo(next);
    }

    @Test
    void aGroupWeAreNotInIsRefusedBeforeAnythingIsSent() throws Exception {
        String group = sandbox.phones().createGroup(CARLA, "Sem Ana", List.of(BRUNO));

        var sent = companion.sendGroupText(group, "posso?", messageId());

        assertThatThrownBy(() -> sent.get(WAIT.toSeconds(), TimeUnit.SECONDS))
                .isInstanceOf(ExecutionException.class).cause().isInstanceOf(SendFailedException.class)
                .hasMessageContaining("not a participant");
        assertThat(companion.groupInfo(group).get(WAIT.toSeconds(), TimeUnit.SECONDS)).isEqualTo(Optional.empty());
        Thread.sleep(200);
        assertThat(sandbox.phones().received(BRUNO)).isEmpty();
    }

    @Test
    void afterAMemberIsRemovedOurSenderKeyIsReplacedAndHandedToTheRemainingDevices() throws Exception {
        String group = sandbox.phones().createGroup(CARLA, "Trabalho", List.of(ANA, BRUNO));
        companion.sendGroupText(group, "antes", messageId()).get(WAIT.toSeconds(), TimeUnit.SECONDS);

        sandbox.phones().changeGroup(CARLA, group, "remove", List.of(BRUNO));
        SentMessage after = await(() -> companion.sendGroupText(group, "depois", messageId()).join(),
                sent -> !sent.devices().isEmpty());

        assertThat(after.devices()).containsExactlyInAnyOrder(CARLA + "@s.whatsapp.net", ANA + "@s.whatsapp.net");
        assertThat(await(() -> sandbox.phones().received(CARLA), list -> list.size() >= 2).getLast().text())
                .isEqualTo("depois");
        assertThat(sandbox.phones().received(BRUNO)).extracting(ReceivedMessage::text).containsExactly("antes");
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
