package ponte.adapters.whatsapp.sandbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.NoSuchElementException;
import java.util.function.Predicate;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import ponte.adapters.whatsapp.sandbox.store.sql.SqlSandboxStore;

/**
 * Two virtual phones talk through the sandbox network with no companion involved: each is a Signal party, so the
 * text the other reads was encrypted by one and decrypted by the other, and delivery and read receipts flow back.
 */
class SandboxMessagingTest {

    private static final String ANA = "5511955551001";
    private static final String BRUNO = "5511955551002";
    private SandboxServer sandbox;

    @BeforeEach
    void start() throws Exception {
        sandbox = SandboxFixture.start(SqlSandboxStore.migrateAndOpen(SandboxFixture.database()),
                SandboxFixture.fastOptions());
        sandbox.phones().create(ANA, "Ana");
        sandbox.phones().create(BRUNO, "Bruno");
    }

    @AfterEach
    void stop() throws Exception {
        sandbox.close();
    }

    @Test
    void phonesExchangeTextsAndSeeEachOthersReceipts() throws Exception {
        String first = sandbox.phones().sendText(ANA, "+" + BRUNO, "Oi Bruno");
        String second = sandbox.phones().sendText(ANA, BRUNO + "@s.whatsapp.net", "Tudo bem?");
        List<ReceivedMessage> atBruno = await(() -> sandbox.phones().received(BRUNO), list -> list.size() == 2);
        String answer = sandbox.phones().sendText(BRUNO, ANA, "Tudo ótimo");

        assertThat(atBruno).extracting(ReceivedMessage::id).containsExactly(first, second);
        assertThat(atBruno).extracting(ReceivedMessage::text).containsExactly("Oi Bruno", "Tudo bem?");
        assertThat(atBruno).allSatisfy(m -> {
            assertThat(m.from()).isEqualTo(ANA + "@s.whatsapp.net");
            assertThat(m.sentByMe()).isFalse();
        });
        assertThat(await(() -> sandbox.phones().received(ANA), list -> list.size() == 1))
                .singleElement().satisfies(m -> {
                    assertThat(m.id()).isEqualTo(answer);
                    assertThat(m.text()).isEqualTo("Tudo ótimo");
                });
        await(() -> sandbox.phones().receipts(ANA), seen -> seen.stream().filter(SeenReceipt::delivery)
                .map(SeenReceipt::id).toList().containsAll(List.of(first, second)));

        sandbox.phones().markRead(BRUNO, ANA, List.of(first, second));

        List<SeenReceipt> reads = await(() -> sandbox.phones().receipts(ANA).stream()
                .filter(r -> r.type().equals("read")).toList(), list -> list.size() == 2);
        assertThat(reads).extracting(SeenReceipt::id).containsExactly(first, second);
        assertThat(reads).allMatch(r -> r.from().equals(BRUNO + "@s.whatsapp.net"));
    }

    @Test
    void aTextToANumberTheNetworkDoesNotKnowIsRefusedBeforeAnythingIsSent() {
        assertThatThrownBy(() -> sandbox.phones().sendText(ANA, "5511900000000", "alô"))
                .isInstanceOf(NoSuchElementException.class);
        assertThatThrownBy(() -> sandbox.phones().sendText(ANA, BRUNO, ""))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(sandbox.phones().received(BRUNO)).isEmpty();
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
