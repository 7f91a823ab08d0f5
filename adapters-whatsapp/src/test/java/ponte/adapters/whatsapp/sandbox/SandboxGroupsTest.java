package ponte.adapters.whatsapp.sandbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.function.Predicate;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import ponte.adapters.whatsapp.sandbox.store.sql.SqlSandboxStore;

/**
 * Virtual phones in a sandbox group: the creator is its superadmin, a member's text reaches every other member as
 * an skmsg each decrypts with the sender key it was handed, receipts come back to the author, the server refuses a
 * non-member's message, and only admins change the participants.
 */
class SandboxGroupsTest {

    private static final String ANA = "5511955552001";
    private static final String BRUNO = "5511955552002";
    private static final String CARLA = "5511955552003";
    private static final String DORA = "5511955552004";
    private SandboxServer sandbox;

    @BeforeEach
    void start() throws Exception {
        sandbox = SandboxFixture.start(SqlSandboxStore.migrateAndOpen(SandboxFixture.database()),
                SandboxFixture.fastOptions());
        sandbox.phones().create(ANA, "Ana");
        sandbox.phones().create(BRUNO, "Bruno");
        sandbox.phones().create(CARLA, "Carla");
        sandbox.phones().create(DORA, "Dora");
    }

    @AfterEach
    void stop() throws Exception {
        sandbox.close();
    }

    @Test
    void theCreatorIsSuperadminAndTheGroupHasAGroupJid() {
        String group = sandbox.phones().createGroup(ANA, "Família", List.of(BRUNO, "+" + CARLA));

        assertThat(group).matches("120363[0-9]{12}@g\\.us");
        assertThat(sandbox.phones().groupMembers(group)).isEqualTo(Map.of(ANA, "superadmin", BRUNO, "", CARLA, ""));
    }

    @Test
    void membersReadEachOthersGroupTextsAndTheAuthorSeesTheirReceipts() throws Exception {
        String group = sandbox.phones().createGroup(ANA, "Família", List.of(BRUNO, CARLA));

        String first = sandbox.phones().sendGroupText(ANA, group, "Oi, família");
        String second = sandbox.phones().sendGroupText(ANA, group, "Tudo bem?");
        String answer = sandbox.phones().sendGroupText(BRUNO, group, "Tudo ótimo");

        for (String member : List.of(BRUNO, CARLA)) {
            List<ReceivedMessage> fromAna = await(() -> sandbox.phones().received(member).stream()
                    .filter(m -> m.from().equals(ANA + "@s.whatsapp.net")).toList(), list -> list.size() == 2);
            assertThat(fromAna).extracting(ReceivedMessage::id).containsExactly(first, second);
            assertThat(fromAna).extracting(ReceivedMessage::text).containsExactly("Oi, família", "Tudo bem?");
            assertThat(fromAna).allSatisfy(m -> {
                assertThat(m.chat()).isEqualTo(group);
                assertThat(m.sentByMe()).isFalse();
            });
        }
        assertThat(await(() -> sandbox.phones().received(CARLA), list -> list.size() == 3).getLast())
                .satisfies(m -> {
                    assertThat(m.id()).isEqualTo(answer);
                    assertThat(m.text()).isEqualTo("Tudo ótimo");
                    assertThat(m.from()).isEqualTo(BRUNO + "@s.whatsapp.net");
                });
        assertThat(await(() -> sandbox.phones().received(ANA), list -> list.size() == 1))
                .extracting(ReceivedMessage::text).containsExactly("Tudo ótimo");
        // delivery receipts of a group message go to its author, from the group, naming the member
        List<SeenReceipt> receipts = await(() -> sandbox.phones().receipts(ANA).stream()
                .filter(r -> r.id().equals(first)).toList(), list -> list.size() == 2);
        assertThat(receipts).allSatisfy(r -> assertThat(r.from()).isEqualTo(group));
    }

    @Test
    void theServerRefusesANonMembersGroupMessage() throws Exception {
        String group = sandbox.phones().createGroup(ANA, "Família", List.of(BRUNO));

        assertThatThrownBy(() -> sandbox.phones().sendGroupText(DORA, group, "posso entrar?"))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("403");
        assertThatThrownBy(() -> sandbox.phones().sendGroupText(ANA, "120363000000000000@g.us", "alô"))
                .isInstanceOf(NoSuchElementException.class);
        Thread.sleep(200);
        assertThat(sandbox.phones().received(BRUNO)).isEmpty();
        assertThat(sandbox.phones().received(ANA)).isEmpty();
    }

    @Test
    void onlyAdminsChangeParticipantsAndARemovedMemberReadsNoMore() throws Exception {
        String group = sandbox.phones().createGroup(ANA, "Família", List.of(BRUNO, CARLA));
        sandbox.phones().sendGroupText(ANA, group, "antes");
        await(() -> sandbox.phones().received(CARLA), list -> list.size() == 1);

        assertThatThrownBy(() -> sandbox.phones().changeGroup(BRUNO, group, "add", List.of(DORA)))
                .isInstanceOf(IllegalStateException.class);
        sandbox.phones().changeGroup(ANA, group, "promote", List.of(BRUNO));
        sandbox.phones().changeGroup(BRUNO, group, "add", List.of(DORA));
        sandbox.phones().changeGroup(ANA, group, "remove", List.of(CARLA));
        String after = sandbox.phones().sendGroupText(ANA, group, "depois");

        assertThat(sandbox.phones().groupMembers(group))
                .isEqualTo(Map.of(ANA, "superadmin", BRUNO, "admin", DORA, ""));
        // Dora, added later, is handed Ana's (new) sender key and reads; Carla is no longer carried anything
        assertThat(await(() -> sandbox.phones().received(DORA), list -> list.size() == 1))
                .singleElement().satisfies(m -> assertThat(m.id()).isEqualTo(after));
        assertThat(await(() -> sandbox.phones().received(BRUNO), list -> list.size() == 2))
                .extracting(ReceivedMessage::text).containsExactly("antes", "depois");
        assertThat(sandbox.phones().received(CARLA)).extracting(ReceivedMessage::text).containsExactly("antes");
    }

    private static <T> T await(Supplier<T> read, Predicate<T> done) throws InterruptedException {
        long deadline = System.currentTimeMillis() + 10_000;
        T value = read.get();
        while (!done.test(value) && System.currentTimeMillis() < deadline) {
            Thread.sleep(20);
            value = read.get();
        }
        assertThat(done.test(value)).as("awaited value: %s", value).isTrue();
        return value;
    }
}
