package ponte.adapters.whatsapp.client;

import static org.assertj.core.api.Assertions.assertThat;

import java.security.SecureRandom;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import ponte.adapters.whatsapp.binary.Node;
import ponte.adapters.whatsapp.store.DeviceAccount;

/** {@link Calls#reject}: one reject stanza per ringing call, however many ask at once. */
class CallsTest {

    private static final String CALLER = "5511987650002@s.whatsapp.net";

    @Test
    void rejectsAskedAtOnceSendOneStanzaAndOnlyOneSeesTheCallRinging() throws Exception {
        var sent = new CopyOnWriteArrayList<Node>();
        var writing = new CountDownLatch(1);
        var release = new CountDownLatch(1);
        Inbox.Sender slowSocket = node -> {
            sent.add(node);
            writing.countDown();
            try {
                release.await(5, TimeUnit.SECONDS); // the write takes a while: the other rejects come meanwhile
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        };
        var calls = new Calls(event -> { }, slowSocket, () -> Optional.of(new DeviceAccount(
                "5511987650001:3@s.whatsapp.net", "1234:3@lid", "android", "", "Ana", new byte[0])),
                new SecureRandom());
        var handlers = new NodeHandlers();
        calls.register(handlers);
        var offer = Node.withChildren("call", Node.attrs("from", CALLER, "id", "C1", "t", "1700000000"),
                List.of(Node.of("offer", Node.attrs("call-id", "CALL1", "call-creator", CALLER))));
        handlers.find(offer).orElseThrow().handle(offer);

        try (var pool = Executors.newFixedThreadPool(4)) {
            Future<Optional<Calls.Call>> first = pool.submit(() -> calls.reject("CALL1"));
            assertThat(writing.await(5, TimeUnit.SECONDS)).isTrue();
            List<Future<Optional<Calls.Call>>> others = List.of(pool.submit(() -> calls.reject("CALL1")),
                    pool.submit(() -> calls.reject("CALL1")), pool.submit(() -> calls.reject("CALL1")));
            for (var other : others) {
                assertThat(other.get(5, TimeUnit.SECONDS)).get().extracting(Calls.Call::state)
                        .isEqualTo(Calls.State.REJECTED);
            }
            release.countDown();
            assertThat(first.get(5, TimeUnit.SECONDS)).get().extracting(Calls.Call::state)
                    .isEqualTo(Calls.State.RINGING);
        }
        assertThat(sent).hasSize(1);
        assertThat(sent.getFirst().child("reject").orElseThrow().attributes())
                .containsAllEntriesOf(Map.of("call-id", "CALL1", "call-creator", CALLER, "count", "0"));
    }
}
