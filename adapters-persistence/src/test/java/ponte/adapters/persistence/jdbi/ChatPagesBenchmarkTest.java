package ponte.adapters.persistence.jdbi;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import ponte.adapters.persistence.PersistenceAdapter;
import ponte.application.model.Page;
import ponte.application.model.PageRequest;
import ponte.domain.instance.Instance;
import ponte.domain.instance.InstanceName;
import ponte.domain.message.Jid;
import ponte.domain.message.Message;
import ponte.domain.message.MessageId;
import ponte.domain.message.MessageStatus;
import ponte.domain.message.Sender;
import ponte.domain.tenant.Tenant;
import ponte.testing.PostgresFixture;

/**
 * How long a page of {@code GET /chats} and {@code GET /chats/{jid}/messages} takes over many stored messages
 * (issue 12: "under 50 ms per page" over 10,000). Small in the suite; the figure of docs/benchmarks.md comes from
 * {@code -Dbench.messages=10000}. Every page is read through to the end, so the paging itself is checked too.
 */
class ChatPagesBenchmarkTest {
    private static final Instant T0 = Instant.parse("2026-11-30T10:00:00Z");
    private static final int CHATS = 100;

    @Test
    void pagesThroughEveryChatAndTheBusiestChatsMessages() {
        int total = Integer.getInteger("bench.messages", 600);
        var db = PersistenceAdapter.migrateAndOpen(PostgresFixture.newDatabase().dataSource());
        var store = db.messages().store();
        var tenant = new Tenant(UUID.randomUUID(), "t", 10, T0);
        db.tenants().insert(tenant);
        var instance = Instance.create(UUID.randomUUID(), tenant.id(), new InstanceName("bench"), Map.of(), T0)
                .instance();
        db.instances().insert(instance);
        for (int i = 0; i < total; i++) {
            var from = Jid.phone("55119800" + String.format("%05d", i % CHATS));
            var lid = Jid.lid("9900" + String.format("%05d", i % CHATS));
            // a third of each chat's messages arrive addressed by the sender's LID
            var chat = i % 3 == 0 ? lid : from;
            store.insert(tenant.id(), instance.id(), new Message(new MessageId("M" + i), chat, false,
                    Sender.of(from, Optional.of(lid), Optional.of("Person " + (i % CHATS))), T0.plusSeconds(i),
                    MessageStatus.DELIVERED, new Message.Text("message number " + i), Optional.empty(), List.of(),
                    Optional.empty(), false), Optional.empty(), T0.plusSeconds(i));
        }

        var chatPages = new ArrayList<Long>();
        int chats = readAll(chatPages, cursor -> store.chats(instance.id(), new PageRequest(50, cursor)));
        assertThat(chats).isEqualTo(Math.min(total, CHATS));

        var messagePages = new ArrayList<Long>();
        var busiest = Jid.phone("5511980000000");
        int messages = readAll(messagePages,
                cursor -> store.chatMessages(instance.id(), busiest, new PageRequest(50, cursor)));
        assertThat(messages).isEqualTo((total + CHATS - 1) / CHATS);

        System.out.printf("chat pages over %d messages: GET /chats %s; GET /chats/{jid}/messages %s%n", total,
                summary(chatPages), summary(messagePages));
    }

    private static <T> int readAll(List<Long> times, java.util.function.Function<String, Page<T>> read) {
        int items = 0;
        String cursor = null;
        // a first read warms the JIT and the database's caches; the figure counts the reads after it
        read.apply(null);
        do {
            long start = System.nanoTime();
            var page = read.apply(cursor);
            times.add(System.nanoTime() - start);
            items += page.items().size();
            cursor = page.nextCursor();
        } while (cursor != null);
        return items;
    }

    private static String summary(List<Long> nanos) {
        var sorted = nanos.stream().sorted().toList();
        return String.format("%d pages, median %.1f ms, max %.1f ms", sorted.size(),
                sorted.get(sorted.size() / 2) / 1e6, sorted.getLast() / 1e6);
    }
}
