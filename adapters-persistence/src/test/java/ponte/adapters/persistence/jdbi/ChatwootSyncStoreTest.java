package ponte.adapters.persistence.jdbi;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import ponte.adapters.persistence.PersistenceAdapter;
import ponte.application.port.out.ChatwootStore;
import ponte.application.port.out.ChatwootSyncStore;
import ponte.domain.instance.Instance;
import ponte.domain.instance.InstanceName;
import ponte.domain.integration.ChatwootConfig;
import ponte.domain.integration.IntegrationStatus;
import ponte.domain.tenant.Tenant;
import ponte.testing.PostgresFixture;

/** The Chatwoot mirror's outbox (ordered per chat, only for an activated integration) and its mappings. */
class ChatwootSyncStoreTest {
    private static final Instant NOW = Instant.parse("2026-11-30T10:00:00Z");
    private static PersistenceAdapter db;
    private static ChatwootSyncStore sync;

    @BeforeAll
    static void migrate() {
        db = PersistenceAdapter.migrateAndOpen(PostgresFixture.newDatabase().dataSource());
        sync = db.chatwootSync();
    }

    @Test
    void nothingIsQueuedForAnInstanceWithoutAnActivatedIntegration() {
        var tenant = tenant();
        var instance = instance(tenant, "no-chatwoot");
        assertThat(sync.enqueue(tenant, instance, UUID.randomUUID(), "1@s.whatsapp.net", "A", "received", null, NOW))
                .isFalse();
        activate(tenant, instance, null);
        assertThat(sync.enqueue(tenant, instance, UUID.randomUUID(), "1@s.whatsapp.net", "A", "received", null, NOW))
                .as("no inbox yet").isFalse();
    }

    @Test
    void eachChatGivesOnlyItsOldestPendingDeliveryAndTheNextOnceItSucceeded() {
        var tenant = tenant();
        var instance = instance(tenant, "ordered");
        activate(tenant, instance, 7L);
        for (var id : new String[] {"a1", "a2", "a3"}) {
            assertThat(sync.enqueue(tenant, instance, UUID.randomUUID(), "a@s.whatsapp.net", id, "received", null,
                    NOW)).isTrue();
        }
        sync.enqueue(tenant, instance, UUID.randomUUID(), "b@s.whatsapp.net", "b1", "received", null, NOW);
        var token = UUID.randomUUID();
        var first = sync.claim(10, NOW, NOW.plusSeconds(60), token).stream()
                .filter(d -> d.instanceId().equals(instance)).toList();
        assertThat(first).extracting(ChatwootSyncStore.Due::messageId).containsExactlyInAnyOrder("a1", "b1");
        assertThat(sync.claim(10, NOW, NOW.plusSeconds(60), UUID.randomUUID()).stream()
                .filter(d -> d.instanceId().equals(instance))).as("claimed heads hold their chats").isEmpty();

        var a1 = first.stream().filter(d -> d.messageId().equals("a1")).findFirst().orElseThrow();
        sync.recordAttempt(a1.id(), token, "Chatwoot answered HTTP 503", NOW.plusSeconds(5), NOW);
        assertThat(sync.claim(10, NOW.plusSeconds(1), NOW.plusSeconds(60), UUID.randomUUID()).stream()
                .filter(d -> d.instanceId().equals(instance))).as("a failed head still holds its chat").isEmpty();
        var retried = sync.claim(10, NOW.plusSeconds(6), NOW.plusSeconds(60), token).stream()
                .filter(d -> d.instanceId().equals(instance)).toList();
        assertThat(retried).singleElement().satisfies(d -> {
            assertThat(d.messageId()).isEqualTo("a1");
            assertThat(d.attempts()).isEqualTo(1);
        });
        sync.recordAttempt(retried.getFirst().id(), token, null, null, NOW.plusSeconds(6));
        assertThat(sync.claim(10, NOW.plusSeconds(7), NOW.plusSeconds(60), UUID.randomUUID()).stream()
                .filter(d -> d.instanceId().equals(instance))).extracting(ChatwootSyncStore.Due::messageId)
                .containsExactly("a2");
    }

    @Test
    void retentionPurgesFinishedDeliveriesWithTheWebhookOnesAndKeepsPendingOnes() {
        var tenant = tenant();
        var instance = instance(tenant, "retention");
        activate(tenant, instance, 7L);
        var old = NOW.minusSeconds(40L * 86400);
        for (var chat : new String[] {"ok@s.whatsapp.net", "ko@s.whatsapp.net", "wait@s.whatsapp.net"}) {
            sync.enqueue(tenant, instance, UUID.randomUUID(), chat, "M", "received", null, old);
        }
        var token = UUID.randomUUID();
        for (var due : sync.claim(10, old, old.plusSeconds(60), token)) {
            if (!due.instanceId().equals(instance)) {
                continue;
            }
            switch (due.chatJid()) {
                case "ok@s.whatsapp.net" -> sync.recordAttempt(due.id(), token, null, null, old);
                case "ko@s.whatsapp.net" -> sync.recordAttempt(due.id(), token, "Chatwoot answered HTTP 422", null,
                        old);
                default -> sync.recordAttempt(due.id(), token, "Chatwoot answered HTTP 503", NOW, old);
            }
        }
        assertThat(db.events(UUID.randomUUID()).log().purgeBefore(NOW.minusSeconds(30L * 86400)))
                .as("the succeeded and the failed delivery").isEqualTo(2);
        assertThat(sync.claim(10, NOW, NOW.plusSeconds(60), UUID.randomUUID()).stream()
                .filter(d -> d.instanceId().equals(instance))).extracting(ChatwootSyncStore.Due::chatJid)
                .as("a pending delivery outlives retention").containsExactly("wait@s.whatsapp.net");
    }

    @Test
    void aMessageIsMappedOnceEachWay() {
        var tenant = tenant();
        var instance = instance(tenant, "mapped");
        assertThat(sync.saveMessage(instance, "WA1", 501, 40, "whatsapp")).isTrue();
        assertThat(sync.saveMessage(instance, "WA1", 502, 40, "whatsapp")).isFalse();
        assertThat(sync.saveMessage(instance, "WA2", 501, 40, "chatwoot")).isFalse();
        assertThat(sync.chatwootMessage(instance, "WA1")).contains(501L);
        assertThat(sync.whatsappMessage(instance, 501)).contains("WA1");
        // an agent message's further attachments: each WhatsApp message is known, the first still names it
        assertThat(sync.saveMessagePart(instance, "WA3", 501, 1, 40)).isTrue();
        assertThat(sync.saveMessagePart(instance, "WA3", 501, 2, 40)).isFalse();
        assertThat(sync.saveMessagePart(instance, "WA4", 501, 1, 40)).isFalse();
        assertThat(sync.chatwootMessage(instance, "WA3")).contains(501L);
        assertThat(sync.messageConversation(instance, "WA3")).contains(40L);
        assertThat(sync.whatsappMessage(instance, 501)).contains("WA1");
        sync.saveContact(instance, "5511@s.whatsapp.net", 9);
        sync.saveContact(instance, "77@lid", 9);
        assertThat(sync.contact(instance, "77@lid")).contains(9L);
        sync.saveConversation(instance, "5511@s.whatsapp.net", 40);
        assertThat(sync.chatOf(instance, 40)).contains("5511@s.whatsapp.net");
        assertThat(sync.conversation(instance(tenant, "other"), "5511@s.whatsapp.net")).isEmpty();
    }

    private static void activate(UUID tenant, UUID instance, Long inboxId) {
        db.chatwoot().save(tenant, instance, new ChatwootStore.Stored(new ChatwootConfig(true, "https://cw.example",
                1, "WhatsApp", false, false, false, false), new byte[] {1}, inboxId,
                inboxId == null ? IntegrationStatus.error("x") : IntegrationStatus.OK, NOW, new byte[] {2}));
    }

    private static UUID tenant() {
        var tenant = new Tenant(UUID.randomUUID(), "t", 10, NOW);
        db.tenants().insert(tenant);
        return tenant.id();
    }

    private static UUID instance(UUID tenant, String name) {
        var instance = Instance.create(UUID.randomUUID(), tenant, new InstanceName(name), Map.of(), NOW).instance();
        db.instances().insert(instance);
        return instance.id();
    }
}
