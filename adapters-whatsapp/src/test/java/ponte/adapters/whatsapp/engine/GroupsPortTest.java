package ponte.adapters.whatsapp.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
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
import ponte.application.model.Group;
import ponte.application.port.out.GroupsPort;
import ponte.application.port.out.MessagingPort;
import ponte.domain.message.Jid;
import ponte.domain.message.MessageId;
import ponte.domain.proxy.EffectiveProxy;

/**
 * The engine as the core's {@link GroupsPort}, through the real sandbox: an instance linked to Ana creates a group
 * with Bruno and Carla, changes it, manages its participants with WhatsApp's per-participant answers, hands out its
 * invite code, sees Dora join by it and leaves; every change (its own and the phones') comes back from the
 * {@code w:gp2} notifications as a {@code group.flow} event, and the next send after a join reaches the newcomer.
 */
class GroupsPortTest {
    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final String ANA = "5511955556001";
    private static final String BRUNO = "5511955556002";
    private static final String CARLA = "5511955556003";
    private static final String DORA = "5511955556004";
    private static final String EVA = "5511955556005";

    private final RecordedReports reports = new RecordedReports();
    private final SecureRandom random = new SecureRandom();
    private SandboxServer sandbox;
    private SqlSandboxStore sandboxStore;
    private WhatsAppEngine engine;
    private final UUID id = UUID.randomUUID();

    @BeforeEach
    void start() throws Exception {
        var database = SandboxFixture.database();
        var store = SqlDeviceStore.migrateAndOpen(database, new TestCipher(), Clock.systemUTC());
        sandboxStore = SqlSandboxStore.migrateAndOpen(database);
        sandbox = SandboxFixture.start(sandboxStore, SandboxFixture.fastOptions());
        sandbox.phones().create(ANA, "Ana");
        sandbox.phones().create(BRUNO, "Bruno");
        sandbox.phones().create(CARLA, "Carla");
        sandbox.phones().create(DORA, "Dora");
        var settings = SandboxFixture.fastClientSettings(sandbox);
        engine = new WhatsAppEngine(settings, DeviceStores.of(store), () -> reports, () -> reports, () -> reports,
                Clock.systemUTC(), random);
        int before = reports.size();
        engine.start(id, EffectiveProxy.NONE);
        var qr = (String) reports.await("qr", before, WAIT).detail();
        sandbox.phones().scan(ANA, qr).get(WAIT.toSeconds(), TimeUnit.SECONDS);
        reports.await("connected", before, WAIT);
        int device = sandbox.phones().devices(ANA).getFirst().device();
        awaitUntil(() -> sandboxStore.phones().preKeyCount(ANA, device) > 0 && engine.isOnline(id));
    }

    @AfterEach
    void stop() throws Exception {
        engine.close();
        sandbox.close();
    }

    @Test
    void aGroupCreatedThroughTheEngineHasUsAsSuperadminAndItsCreationIsAGroupFlowEvent() throws Exception {
        Group group = engine.create(id, "Entregas", List.of(Jid.phone(BRUNO), Jid.phone(CARLA)), WAIT).group();

        assertThat(group.jid().isGroup()).isTrue();
        assertThat(group.subject()).isEqualTo("Entregas");
        assertThat(group.owner()).contains(Jid.phone(ANA));
        assertThat(group.createdAt()).hasValueSatisfying(at -> assertThat(at).isAfter(Instant.now().minusSeconds(60)));
        assertThat(group.participants()).extracting(Group.Participant::jid)
                .containsExactly(Jid.phone(ANA), Jid.phone(BRUNO), Jid.phone(CARLA));
        var ana = group.participants().getFirst();
        assertThat(ana.admin()).isTrue();
        assertThat(ana.superAdmin()).isTrue();
        assertThat(ana.phoneNumber()).contains(ANA);
        assertThat(ana.lid()).contains(Jid.lid(sandbox.phones().phone(ANA).orElseThrow().lid()));
        assertThat(group.participants().get(1).admin()).isFalse();

        var created = flow("created");
        assertThat(created).containsEntry("group_jid", group.jid().toString()).containsEntry("subject", "Entregas");
        assertThat(person(created.get("by"))).containsEntry("jid", ANA + "@s.whatsapp.net")
                .containsEntry("phone_number", ANA);
        assertThat(phones(created)).containsExactly(ANA, BRUNO, CARLA);
        assertThat(engine.groups(id, WAIT)).extracting(Group::jid).containsExactly(group.jid());
    }

    @Test
    void aCreateAnswersPerParticipantAndOneWhosePrivacyLetsNobodyAddThemIsLeftOutAndReported() throws Exception {
        sandbox.phones().create(EVA, "Eva");
        sandbox.phones().allowGroupAdds(EVA, false);
        var created = engine.create(id, "Vizinhos", List.of(Jid.phone(BRUNO), Jid.phone(EVA)), WAIT);

        assertThat(created.refused()).singleElement().satisfies(refused -> {
            assertThat(refused.jid()).isEqualTo(Jid.phone(EVA));
            assertThat(refused.status()).isEqualTo(403);
        });
        assertThat(created.group().participants()).extracting(Group.Participant::phoneNumber)
                .containsExactly(Optional.of(ANA), Optional.of(BRUNO));
        assertThat(engine.metadata(id, created.group().jid(), WAIT).orElseThrow().participants())
                .extracting(Group.Participant::phoneNumber).containsExactly(Optional.of(ANA), Optional.of(BRUNO));
    }

    @Test
    void subjectDescriptionAndSettingsChangeAndEachChangeIsAnEvent() throws Exception {
        Group group = engine.create(id, "Entregas", List.of(Jid.phone(BRUNO)), WAIT).group();

        engine.change(id, group.jid(), new GroupsPort.Change.Subject("Entregas — dezembro"), WAIT);
        engine.change(id, group.jid(), new GroupsPort.Change.Description("Horários e rotas"), WAIT);
        engine.change(id, group.jid(), new GroupsPort.Change.Announce(true), WAIT);
        engine.change(id, group.jid(), new GroupsPort.Change.Locked(true), WAIT);

        Group now = engine.metadata(id, group.jid(), WAIT).orElseThrow();
        assertThat(now.subject()).isEqualTo("Entregas — dezembro");
        assertThat(now.description()).contains("Horários e rotas");
        assertThat(now.announce()).isTrue();
        assertThat(now.locked()).isTrue();
        assertThat(flow("subject")).containsEntry("subject", "Entregas — dezembro");
        assertThat(flow("description")).containsEntry("description", "Horários e rotas");
        awaitUntil(() -> flows("settings").size() == 2);
        assertThat(flows("settings")).extracting(data -> data.get("setting")).containsExactly("announce", "locked");
        assertThat(flows("settings").getFirst()).containsEntry("announce", true);

        // the description deleted; a phone that is no admin cannot rename a locked group
        engine.change(id, group.jid(), new GroupsPort.Change.Description(""), WAIT);
        assertThat(engine.metadata(id, group.jid(), WAIT).orElseThrow().description()).isEmpty();
        awaitUntil(() -> flows("description").size() == 2);
        assertThat(flows("description").get(1)).containsEntry("description", null);
        assertThatThrownBy(() -> sandbox.phones().renameGroup(BRUNO, group.jid().toString(), "Meu grupo"))
                .isInstanceOf(IllegalStateException.class);
        assertThat(engine.metadata(id, group.jid(), WAIT).orElseThrow().subject()).isEqualTo("Entregas — dezembro");
    }

    @Test
    void participantsAreChangedOneByOneWithWhatsAppsAnswerForEach() throws Exception {
        Group group = engine.create(id, "Equipe", List.of(Jid.phone(BRUNO), Jid.phone(CARLA)), WAIT).group();
        sandbox.phones().leaveGroup(CARLA, group.jid().toString());
        var carlaLeft = flow("left");
        assertThat(phones(carlaLeft)).containsExactly(CARLA);
        assertThat(person(carlaLeft.get("by"))).as("the notification names her by number only: her LID is known")
                .containsEntry("phone_number", CARLA)
                .containsEntry("lid", sandbox.phones().phone(CARLA).orElseThrow().lid() + "@lid");

        sandbox.phones().create(EVA, "Eva");
        sandbox.phones().allowGroupAdds(EVA, false);
        var added = engine.participants(id, group.jid(), GroupsPort.ParticipantAction.ADD,
                List.of(Jid.phone(DORA), Jid.phone(BRUNO), Jid.phone(CARLA), Jid.phone("5511955556999"),
                        Jid.phone(EVA)), WAIT);

        assertThat(added).extracting(GroupsPort.ParticipantOutcome::status).containsExactly(200, 409, 408, 404, 403);
        assertThat(phones(flow("added"))).containsExactly(DORA);
        var promoted = engine.participants(id, group.jid(), GroupsPort.ParticipantAction.PROMOTE,
                List.of(Jid.phone(DORA)), WAIT);
        assertThat(promoted).extracting(GroupsPort.ParticipantOutcome::status).containsExactly(200);
        assertThat(phones(flow("promoted"))).containsExactly(DORA);
        engine.participants(id, group.jid(), GroupsPort.ParticipantAction.DEMOTE, List.of(Jid.phone(DORA)), WAIT);
        assertThat(phones(flow("demoted"))).containsExactly(DORA);
        var removed = engine.participants(id, group.jid(), GroupsPort.ParticipantAction.REMOVE,
                List.of(Jid.phone(BRUNO), Jid.phone(CARLA)), WAIT);
        assertThat(removed).extracting(GroupsPort.ParticipantOutcome::status).containsExactly(200, 404);
        var brunoRemoved = flow("removed");
        assertThat(phones(brunoRemoved)).containsExactly(BRUNO);
        assertThat(person(brunoRemoved.get("by"))).containsEntry("phone_number", ANA)
                .containsEntry("lid", sandbox.phones().phone(ANA).orElseThrow().lid() + "@lid");
        assertThat(engine.metadata(id, group.jid(), WAIT).orElseThrow().participants())
                .extracting(Group.Participant::phoneNumber).containsExactly(Optional.of(ANA), Optional.of(DORA));
    }

    @Test
    void aMemberWhoIsNoAdminIsRefusedAndAGroupWeAreNotInHasNoMetadata() throws Exception {
        String carlas = sandbox.phones().createGroup(CARLA, "Da Carla", List.of(ANA, BRUNO));
        var group = Jid.parse(carlas).orElseThrow();
        flow("created");

        assertThatThrownBy(() -> engine.change(id, group, new GroupsPort.Change.Announce(true), WAIT))
                .isInstanceOfSatisfying(GroupsPort.Rejected.class, e -> assertThat(e.code()).isEqualTo(403));
        assertThatThrownBy(() -> engine.participants(id, group, GroupsPort.ParticipantAction.REMOVE,
                List.of(Jid.phone(BRUNO)), WAIT))
                .isInstanceOfSatisfying(GroupsPort.Rejected.class, e -> assertThat(e.code()).isEqualTo(403));
        assertThatThrownBy(() -> engine.inviteCode(id, group, WAIT))
                .isInstanceOfSatisfying(GroupsPort.Rejected.class, e -> assertThat(e.code()).isEqualTo(401));
        assertThat(sandbox.phones().groupMembers(carlas)).containsOnlyKeys(CARLA, ANA, BRUNO);
        assertThatThrownBy(() -> engine.join(id, "NoSuchCode123", WAIT))
                .isInstanceOfSatisfying(GroupsPort.Rejected.class, e -> assertThat(e.code()).isEqualTo(406));

        String without = sandbox.phones().createGroup(CARLA, "Sem Ana", List.of(BRUNO));
        assertThat(engine.metadata(id, Jid.parse(without).orElseThrow(), WAIT)).isEmpty();
        assertThatThrownBy(() -> engine.change(id, Jid.parse(without).orElseThrow(),
                new GroupsPort.Change.Subject("Com Ana?"), WAIT))
                .isInstanceOfSatisfying(GroupsPort.Rejected.class, e -> assertThat(e.code()).isEqualTo(403));
    }

    @Test
    void aPhoneJoinsByTheInviteCodeGetsOurNextTextAndWeLeave() throws Exception {
        Group group = engine.create(id, "Clube", List.of(Jid.phone(BRUNO)), WAIT).group();
        engine.send(id, text(group.jid(), "antes da Dora")).get(WAIT.toSeconds(), TimeUnit.SECONDS);
        String code = engine.inviteCode(id, group.jid(), WAIT);
        assertThat(code).matches("[A-Za-z0-9]{22}");
        assertThat(engine.inviteCode(id, group.jid(), WAIT)).isEqualTo(code);

        sandbox.phones().joinGroup(DORA, code);

        var joined = flow("joined");
        assertThat(phones(joined)).containsExactly(DORA);
        assertThat(person(joined.get("by"))).containsEntry("phone_number", DORA);
        var message = text(group.jid(), "bem-vinda, Dora");
        engine.send(id, message).get(WAIT.toSeconds(), TimeUnit.SECONDS);
        awaitUntil(() -> sandbox.phones().received(DORA).stream().anyMatch(r -> r.id().equals(message.id().value())));
        assertThat(sandbox.phones().received(DORA)).extracting(ReceivedMessage::text).containsExactly("bem-vinda, Dora");

        engine.leave(id, group.jid(), WAIT);

        var left = flow("left");
        assertThat(phones(left)).containsExactly(ANA);
        assertThat(engine.metadata(id, group.jid(), WAIT)).isEmpty();
        assertThat(sandbox.phones().groupMembers(group.jid().toString())).containsOnlyKeys(BRUNO, DORA)
                .as("an admin is left behind").containsValue("admin");
    }

    // --- helpers ---

    private MessagingPort.WireMessage text(Jid chat, String text) {
        byte[] bytes = new byte[MessageId.RANDOM_BYTES];
        random.nextBytes(bytes);
        return new MessagingPort.WireMessage(MessageId.generate(Instant.now(), Jid.phone(ANA), bytes), chat, text,
                false, Optional.empty(), List.of());
    }

    private List<Map<String, Object>> flows(String type) {
        return reports.received().stream().filter(event -> event.get("event").equals("group.flow")
                && type.equals(event.get("type"))).toList();
    }

    /** The first group.flow event of this type, waited for. */
    private Map<String, Object> flow(String type) throws InterruptedException {
        awaitUntil(() -> !flows(type).isEmpty());
        return flows(type).getFirst();
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> person(Object value) {
        return (Map<String, Object>) value;
    }

    @SuppressWarnings("unchecked")
    private static List<Object> phones(Map<String, Object> event) {
        return ((List<Map<String, Object>>) event.get("participants")).stream()
                .map(p -> p.get("phone_number")).toList();
    }

    private static void awaitUntil(BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("condition not met within " + WAIT);
            }
            Thread.sleep(50);
        }
    }
}
