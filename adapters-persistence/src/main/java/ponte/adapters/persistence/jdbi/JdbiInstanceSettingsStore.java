package ponte.adapters.persistence.jdbi;

import java.util.Optional;
import java.util.UUID;
import ponte.application.port.out.InstanceSettingsStore;
import ponte.domain.settings.InstanceSettings;

public final class JdbiInstanceSettingsStore implements InstanceSettingsStore {
    private final JdbiSession session;

    public JdbiInstanceSettingsStore(JdbiSession session) {
        this.session = session;
    }

    @Override
    public Optional<InstanceSettings> find(UUID tenantId, UUID instanceId) {
        return session.withHandle(h -> h.createQuery(
                        "select * from instance_settings where tenant_id = :tenant and instance_id = :instance")
                .bind("tenant", tenantId)
                .bind("instance", instanceId)
                .map((rs, ctx) -> new InstanceSettings(rs.getBoolean("reject_calls"),
                        rs.getString("reject_call_message"), rs.getBoolean("ignore_groups"),
                        rs.getBoolean("always_online"), rs.getBoolean("read_messages"),
                        rs.getBoolean("skip_history_sync"), rs.getBoolean("ignore_status")))
                .findOne());
    }

    @Override
    public void save(UUID tenantId, UUID instanceId, InstanceSettings settings) {
        session.useHandle(h -> h.createUpdate("""
                        insert into instance_settings (instance_id, tenant_id, reject_calls, reject_call_message,
                            ignore_groups, always_online, read_messages, skip_history_sync, ignore_status)
                        values (:instance, :tenant, :rejectCalls, :rejectCallMessage, :ignoreGroups, :alwaysOnline,
                            :readMessages, :skipHistorySync, :ignoreStatus)
                        on conflict (instance_id) do update set reject_calls = excluded.reject_calls,
                            reject_call_message = excluded.reject_call_message,
                            ignore_groups = excluded.ignore_groups, always_online = excluded.always_online,
                            read_messages = excluded.read_messages,
                            skip_history_sync = excluded.skip_history_sync, ignore_status = excluded.ignore_status""")
                .bind("instance", instanceId)
                .bind("tenant", tenantId)
                .bind("rejectCalls", settings.rejectCalls())
                .bind("rejectCallMessage", settings.rejectCallMessage())
                .bind("ignoreGroups", settings.ignoreGroups())
                .bind("alwaysOnline", settings.alwaysOnline())
                .bind("readMessages", settings.readMessages())
                .bind("skipHistorySync", settings.skipHistorySync())
                .bind("ignoreStatus", settings.ignoreStatus())
                .execute());
    }
}
