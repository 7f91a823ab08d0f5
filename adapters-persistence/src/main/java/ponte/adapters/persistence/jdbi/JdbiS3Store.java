package ponte.adapters.persistence.jdbi;

import java.util.Optional;
import java.util.UUID;
import ponte.application.port.out.S3Store;
import ponte.domain.integration.S3Config;

public final class JdbiS3Store implements S3Store {
    private final JdbiSession session;

    public JdbiS3Store(JdbiSession session) {
        this.session = session;
    }

    @Override
    public Optional<Stored> find(UUID tenantId, UUID instanceId) {
        return session.withHandle(h -> h.createQuery(
                        "select * from s3_configs where tenant_id = :tenant and instance_id = :instance")
                .bind("tenant", tenantId)
                .bind("instance", instanceId)
                .map((rs, ctx) -> new Stored(
                        new S3Config(rs.getBoolean("enabled"), rs.getString("region"), rs.getString("bucket"),
                                rs.getString("access_key_id"), rs.getString("endpoint"), rs.getString("prefix"),
                                rs.getBoolean("path_style")),
                        rs.getBytes("secret_access_key_sealed"),
                        IntegrationStatuses.read(rs),
                        Times.read(rs, "updated_at")))
                .findOne());
    }

    @Override
    public void save(UUID tenantId, UUID instanceId, Stored stored) {
        var config = stored.config();
        session.useHandle(h -> h.createUpdate("""
                        insert into s3_configs (instance_id, tenant_id, enabled, region, bucket, access_key_id,
                            secret_access_key_sealed, endpoint, prefix, path_style, status, status_reason, updated_at)
                        values (:instance, :tenant, :enabled, :region, :bucket, :accessKeyId, :secret, :endpoint,
                            :prefix, :pathStyle, :status, :reason, :updated)
                        on conflict (instance_id) do update set enabled = excluded.enabled,
                            region = excluded.region, bucket = excluded.bucket,
                            access_key_id = excluded.access_key_id,
                            secret_access_key_sealed = excluded.secret_access_key_sealed,
                            endpoint = excluded.endpoint, prefix = excluded.prefix, path_style = excluded.path_style,
                            status = excluded.status, status_reason = excluded.status_reason,
                            updated_at = excluded.updated_at""")
                .bind("instance", instanceId)
                .bind("tenant", tenantId)
                .bind("enabled", config.enabled())
                .bind("region", config.region())
                .bind("bucket", config.bucket())
                .bind("accessKeyId", config.accessKeyId())
                .bind("secret", stored.sealedSecretAccessKey())
                .bind("endpoint", config.endpoint())
                .bind("prefix", config.prefix())
                .bind("pathStyle", config.pathStyle())
                .bind("status", stored.status().state().wireName())
                .bind("reason", stored.status().reason())
                .bind("updated", Times.toDb(stored.updatedAt()))
                .execute());
    }

    @Override
    public boolean delete(UUID tenantId, UUID instanceId) {
        return session.withHandle(h -> h.createUpdate(
                        "delete from s3_configs where tenant_id = :tenant and instance_id = :instance")
                .bind("tenant", tenantId)
                .bind("instance", instanceId)
                .execute()) > 0;
    }
}
