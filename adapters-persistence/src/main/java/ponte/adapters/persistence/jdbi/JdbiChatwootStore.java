package ponte.adapters.persistence.jdbi;

import java.util.Optional;
import java.util.UUID;
import ponte.application.port.out.ChatwootStore;
import ponte.domain.integration.ChatwootConfig;

/** chatwoot_configs: one row per instance, its API token and webhook secret sealed. */
public final class JdbiChatwootStore implements ChatwootStore {
    private final JdbiSession session;

    public JdbiChatwootStore(JdbiSession session) {
        this.session = session;
    }

    @Override
    public Optional<Stored> find(UUID tenantId, UUID instanceId) {
        return session.withHandle(h -> h.createQuery(
                        "select * from chatwoot_configs where tenant_id = :tenant and instance_id = :instance")
                .bind("tenant", tenantId)
                .bind("instance", instanceId)
                .map((rs, ctx) -> new Stored(
                        new ChatwootConfig(rs.getBoolean("enabled"), rs.getString("base_url"),
                                rs.getLong("account_id"), rs.getString("inbox_name"), rs.getBoolean("sign_messages"),
                                rs.getBoolean("ignore_groups"), rs.getBoolean("conversation_pending"),
                                rs.getBoolean("reopen_resolved")),
                        rs.getBytes("api_token_sealed"),
                        rs.getObject("inbox_id", Long.class),
                        IntegrationStatuses.read(rs),
                        Times.read(rs, "updated_at"),
                        rs.getBytes("webhook_secret_sealed")))
                .findOne());
    }

    @Override
    public void save(UUID tenantId, UUID instanceId, Stored stored) {
        var config = stored.config();
        session.useHandle(h -> h.createUpdate("""
                        insert into chatwoot_configs (instance_id, tenant_id, enabled, base_url, account_id,
                            api_token_sealed, inbox_name, inbox_id, sign_messages, ignore_groups,
                            conversation_pending, reopen_resolved, status, status_reason, updated_at, webhook_secret_sealed)
                        values (:instance, :tenant, :enabled, :baseUrl, :accountId, :token, :inboxName, :inboxId,
                            :signMessages, :ignoreGroups, :conversationPending, :reopenResolved, :status, :reason,
                            :updated, :secret)
                        on conflict (instance_id) do update set enabled = excluded.enabled,
                            base_url = excluded.base_url, account_id = excluded.account_id,
                            api_token_sealed = excluded.api_token_sealed, inbox_name = excluded.inbox_name,
                            inbox_id = excluded.inbox_id, sign_messages = excluded.sign_messages,
                            ignore_groups = excluded.ignore_groups,
                            conversation_pending = excluded.conversation_pending,
                            reopen_resolved = excluded.reopen_resolved, status = excluded.status,
                            status_reason = excluded.status_reason, updated_at = excluded.updated_at,
                            webhook_secret_sealed = coalesce(excluded.webhook_secret_sealed,
                                chatwoot_configs.webhook_secret_sealed)""")
                .bind("instance", instanceId)
                .bind("tenant", tenantId)
                .bind("enabled", config.enabled())
                .bind("baseUrl", config.baseUrl())
                .bind("accountId", config.accountId())
                .bind("token", stored.sealedApiToken())
                .bind("inboxName", config.inboxName())
                .bind("inboxId", stored.inboxId())
                .bind("signMessages", config.signMessages())
                .bind("ignoreGroups", config.ignoreGroups())
                .bind("conversationPending", config.conversationPending())
                .bind("reopenResolved", config.reopenResolved())
                .bind("status", stored.status().state().wireName())
                .bind("reason", stored.status().reason())
                .bind("updated", Times.toDb(stored.updatedAt()))
                .bind("secret", stored.sealedWebhookSecret())
                .execute());
    }

    @Override
    public boolean delete(UUID tenantId, UUID instanceId) {
        return session.withHandle(h -> h.createUpdate(
                        "delete from chatwoot_configs where tenant_id = :tenant and instance_id = :instance")
                .bind("tenant", tenantId)
                .bind("instance", instanceId)
                .execute()) > 0;
    }
}
