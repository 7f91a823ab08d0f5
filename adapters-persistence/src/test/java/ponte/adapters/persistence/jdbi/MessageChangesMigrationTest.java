package ponte.adapters.persistence.jdbi;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.UUID;
import org.flywaydb.core.Flyway;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.Test;
import ponte.adapters.persistence.PersistenceAdapter;
import ponte.application.model.PageRequest;
import ponte.domain.message.Jid;
import ponte.domain.message.MessageId;
import ponte.testing.PostgresFixture;

/**
 * V15 on data stored before it: the rows of edits, revokes, reactions and votes leave the chat's history, and a
 * revoked message loses the text it still held.
 */
class MessageChangesMigrationTest {
    private static final Instant NOW = Instant.parse("2026-11-30T10:00:00Z");

    @Test
    void protocolRowsLeaveTheHistoryAndRevokedMessagesLoseTheirText() {
        var source = PostgresFixture.newDatabase().dataSource();
        Flyway.configure(PersistenceAdapter.class.getClassLoader()).dataSource(source).locations("classpath:db/ponte")
                .table("flyway_ponte_history").target("13").load().migrate();
        var tenant = UUID.randomUUID();
        var instance = UUID.randomUUID();
        var jdbi = Jdbi.create(source);
        jdbi.useHandle(h -> {
            h.execute("insert into tenants (id, name, max_instances, created_at) values (?, 't', 10, now())", tenant);
            h.execute("insert into instances (id, tenant_id, name, status, metadata, created_at, updated_at) "
                    + "values (?, ?, 'shop', 'created', '{}', now(), now())", instance, tenant);
            row(h, instance, tenant, "ORIG", false, "text",
                    "{\"id\":\"ORIG\",\"type\":\"text\",\"text\":\"segredo\",\"revoked\":true}", null);
            row(h, instance, tenant, "KEPT", false, "text", "{\"id\":\"KEPT\",\"type\":\"text\",\"text\":\"oi\"}",
                    null);
            row(h, instance, tenant, "REACT", false, "reaction",
                    "{\"id\":\"REACT\",\"type\":\"reaction\",\"reaction\":{\"message_id\":\"KEPT\",\"emoji\":\"👍\"}}",
                    null);
            row(h, instance, tenant, "3EB0REVOKE", true, "revoked", "{\"id\":\"3EB0REVOKE\",\"type\":\"revoked\"}",
                    "{}");
            row(h, instance, tenant, "3EB0EDIT", true, "text", "{\"id\":\"3EB0EDIT\",\"type\":\"text\",\"text\":\"x\"}",
                    "{}");
            h.execute("insert into outgoing_queue (instance_id, message_id, chat_jid, state, not_before, send, "
                    + "created_at, updated_at) values (?, '3EB0EDIT', '5511987654321@s.whatsapp.net', 'done', now(), "
                    + "'{\"content\":{\"kind\":\"edit\",\"target\":\"KEPT\",\"text\":\"x\"}}', now(), now())", instance);
        });

        var db = PersistenceAdapter.migrateAndOpen(source);
        var store = db.messages().store();
        var history = store.chatMessages(instance, Jid.phone("5511987654321"), new PageRequest(10, null));
        assertThat(history.items()).extracting(s -> s.message().id().value()).containsExactlyInAnyOrder("ORIG",
                "KEPT");
        var revoked = store.find(instance, new MessageId("ORIG")).orElseThrow().message();
        assertThat(revoked.revoked()).isTrue();
        assertThat(revoked.wireForm()).doesNotContainKey("text").containsEntry("type", "revoked");
        assertThat(store.find(instance, new MessageId("KEPT")).orElseThrow().message().wireForm())
                .containsEntry("text", "oi");
    }

    private static void row(org.jdbi.v3.core.Handle h, UUID instance, UUID tenant, String id, boolean fromMe,
                            String type, String message, String outgoing) {
        String chat = "5511987654321@s.whatsapp.net";
        String json = message.replace("{\"id\":\"" + id + "\",", "{\"id\":\"" + id + "\",\"chat_jid\":\"" + chat
                + "\",\"from_me\":" + fromMe + ",\"sender\":{\"jid\":\"" + (fromMe ? "5511900000000@s.whatsapp.net"
                : chat) + "\"},\"timestamp\":\"2026-11-30T10:00:00Z\",\"status\":\"delivered\",\"is_group\":false,");
        h.execute("insert into messages (instance_id, id, tenant_id, chat_jid, from_me, sender_jid, sent_at, type, "
                        + "status, message, outgoing, created_at) values (?, ?, ?, ?, ?, ?, ?, ?, ?, cast(? as jsonb), "
                        + "cast(? as jsonb), now())", instance, id, tenant, chat, fromMe,
                fromMe ? "5511900000000@s.whatsapp.net" : chat, java.sql.Timestamp.from(NOW), type,
                fromMe ? "sent" : "delivered", json, outgoing);
    }
}
