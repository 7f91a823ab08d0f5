package ponte.adapters.persistence.jdbi;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import ponte.application.port.out.WebSocketConfigStore;
import ponte.application.port.out.WebhookStore;
import ponte.domain.event.EventFilter;
import ponte.domain.webhook.WebSocketConfig;
import ponte.domain.webhook.WebhookLabel;
import ponte.domain.webhook.WebhookSubscription;

/** Webhooks (secrets arrive sealed) and the per-instance WebSocket configuration. */
public final class JdbiWebhookStore implements WebhookStore, WebSocketConfigStore {
    private static final TypeReference<Map<String, String>> HEADERS = new TypeReference<>() {};

    private final JdbiSession session;
    private final ObjectMapper json;

    public JdbiWebhookStore(JdbiSession session, ObjectMapper json) {
        this.session = session;
        this.json = json;
    }

    @Override
    public void lockInstance(UUID instanceId) {
        session.useHandle(h -> h.createQuery("select id from instances where id = :id for update")
                .bind("id", instanceId).mapTo(UUID.class).findOne());
    }

    @Override
    public void insert(StoredWebhook webhook) {
        session.uniquely(h -> h.createUpdate("""
                        insert into webhooks (id, tenant_id, instance_id, label, url, enabled, events, by_events,
                                              media_base64, headers, secret_sealed, authorization_sealed,
                                              created_at, updated_at)
                        values (:id, :tenant, :instance, :label, :url, :enabled, :events, :by_events, :media,
                                cast(:headers as jsonb), :secret, :authorization, :created, :updated)""")
                .bind("id", webhook.subscription().id())
                .bind("tenant", webhook.subscription().tenantId())
                .bind("instance", webhook.subscription().instanceId())
                .bind("label", webhook.subscription().label().value())
                .bind("created", Times.toDb(webhook.subscription().createdAt()))
                .bindArray("events", String.class, webhook.subscription().events().wireNames())
                .bind("url", webhook.subscription().url().toString())
                .bind("enabled", webhook.subscription().enabled())
                .bind("by_events", webhook.subscription().byEvents())
                .bind("media", webhook.subscription().mediaBase64())
                .bind("headers", write(webhook.subscription().headers()))
                .bind("secret", webhook.sealedSecret())
                .bind("authorization", webhook.sealedAuthorization())
                .bind("updated", Times.toDb(webhook.subscription().updatedAt()))
                .execute(), "the instance already has a webhook labelled '" + webhook.subscription().label() + "'");
    }

    @Override
    public void update(StoredWebhook webhook) {
        var sub = webhook.subscription();
        session.useHandle(h -> h.createUpdate("""
                        update webhooks set url = :url, enabled = :enabled, events = :events, by_events = :by_events,
                               media_base64 = :media, headers = cast(:headers as jsonb), secret_sealed = :secret,
                               authorization_sealed = :authorization, updated_at = :updated
                        where id = :id""")
                .bind("id", sub.id())
                .bind("url", sub.url().toString())
                .bind("enabled", sub.enabled())
                .bindArray("events", String.class, sub.events().wireNames())
                .bind("by_events", sub.byEvents())
                .bind("media", sub.mediaBase64())
                .bind("headers", write(sub.headers()))
                .bind("secret", webhook.sealedSecret())
                .bind("authorization", webhook.sealedAuthorization())
                .bind("updated", Times.toDb(sub.updatedAt()))
                .execute());
    }

    @Override
    public boolean delete(UUID instanceId, String label) {
        return session.withHandle(h -> h.createUpdate(
                        "delete from webhooks where instance_id = :instance and label = :label")
                .bind("instance", instanceId).bind("label", label).execute()) > 0;
    }

    @Override
    public Optional<StoredWebhook> find(UUID instanceId, String label) {
        return session.withHandle(h -> h.createQuery(
                        "select * from webhooks where instance_id = :instance and label = :label")
                .bind("instance", instanceId).bind("label", label)
                .map((rs, ctx) -> map(rs)).findOne());
    }

    @Override
    public List<StoredWebhook> list(UUID instanceId) {
        return session.withHandle(h -> h.createQuery(
                        "select * from webhooks where instance_id = :instance order by label")
                .bind("instance", instanceId)
                .map((rs, ctx) -> map(rs)).list());
    }

    @Override
    public Optional<WebSocketConfig> find(UUID instanceId) {
        return session.withHandle(h -> h.createQuery("select * from websocket_configs where instance_id = :id")
                .bind("id", instanceId)
                .map((rs, ctx) -> new WebSocketConfig(rs.getObject("instance_id", UUID.class),
                        rs.getObject("tenant_id", UUID.class), rs.getBoolean("enabled"), events(rs),
                        rs.getBoolean("media_base64"), Times.read(rs, "updated_at")))
                .findOne());
    }

    @Override
    public void upsert(WebSocketConfig config) {
        session.useHandle(h -> h.createUpdate("""
                        insert into websocket_configs
                            (instance_id, tenant_id, enabled, events, media_base64, updated_at)
                        values (:id, :tenant, :enabled, :events, :media, :updated)
                        on conflict (instance_id) do update set enabled = excluded.enabled, events = excluded.events,
                            media_base64 = excluded.media_base64, updated_at = excluded.updated_at""")
                .bind("id", config.instanceId())
                .bind("tenant", config.tenantId())
                .bind("enabled", config.enabled())
                .bindArray("events", String.class, config.events().wireNames())
                .bind("media", config.mediaBase64())
                .bind("updated", Times.toDb(config.updatedAt()))
                .execute());
    }

    private StoredWebhook map(ResultSet rs) throws SQLException {
        var sealedAuthorization = rs.getBytes("authorization_sealed");
        var subscription = new WebhookSubscription(rs.getObject("id", UUID.class),
                rs.getObject("tenant_id", UUID.class), rs.getObject("instance_id", UUID.class),
                new WebhookLabel(rs.getString("label")), URI.create(rs.getString("url")), rs.getBoolean("enabled"),
                events(rs), rs.getBoolean("by_events"), rs.getBoolean("media_base64"),
                read(rs.getString("headers")), sealedAuthorization != null, Times.read(rs, "created_at"),
                Times.read(rs, "updated_at"));
        return new StoredWebhook(subscription, rs.getBytes("secret_sealed"), sealedAuthorization);
    }

    static EventFilter events(ResultSet rs) throws SQLException {
        var names = (String[]) rs.getArray("events").getArray();
        return EventFilter.parse("events", Arrays.asList(names));
    }

    private String write(Map<String, String> headers) {
        try {
            return json.writeValueAsString(headers);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("headers are not serialisable", e);
        }
    }

    Map<String, String> read(String headers) {
        try {
            return json.readValue(headers, HEADERS);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("stored headers are not a JSON object", e);
        }
    }
}
