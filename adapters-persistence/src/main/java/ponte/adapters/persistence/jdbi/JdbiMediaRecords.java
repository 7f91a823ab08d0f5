package ponte.adapters.persistence.jdbi;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.UUID;
import ponte.application.port.out.MediaRecords;
import ponte.application.port.out.MediaStore;

/** The {@code media} table (V9): where each message's file is stored. */
public final class JdbiMediaRecords implements MediaRecords {
    private final JdbiSession session;

    public JdbiMediaRecords(JdbiSession session) {
        this.session = session;
    }

    @Override
    public void save(MediaRecord record) {
        session.useHandle(h -> h.createUpdate("""
                        insert into media (instance_id, message_id, store, bucket, object_key, mime_type, size_bytes,
                            sha256, file_name, created_at)
                        values (:instance, :message, :store, :bucket, :key, :mime, :size, :sha256, :fileName, :created)
                        on conflict (instance_id, message_id) do update set store = excluded.store,
                            bucket = excluded.bucket, object_key = excluded.object_key,
                            mime_type = excluded.mime_type, size_bytes = excluded.size_bytes,
                            sha256 = excluded.sha256, file_name = excluded.file_name,
                            created_at = excluded.created_at""")
                .bind("instance", record.instanceId())
                .bind("message", record.messageId())
                .bind("store", record.store().wireName())
                .bind("bucket", record.bucket())
                .bind("key", record.key())
                .bind("mime", record.mimeType())
                .bind("size", record.size())
                .bind("sha256", record.sha256())
                .bind("fileName", record.fileName().orElse(null))
                .bind("created", Times.toDb(record.createdAt()))
                .execute());
    }

    @Override
    public Optional<MediaRecord> find(UUID instanceId, String messageId) {
        return session.withHandle(h -> h.createQuery(
                        "select * from media where instance_id = :instance and message_id = :message")
                .bind("instance", instanceId)
                .bind("message", messageId)
                .map((rs, ctx) -> record(rs))
                .findOne());
    }

    @Override
    public List<Owned> storedBefore(Instant before, int max) {
        return session.withHandle(h -> h.createQuery("""
                        select m.*, i.tenant_id from media m join instances i on i.id = m.instance_id
                        where m.created_at < :before
                            and not exists (select 1 from outgoing_queue q where q.instance_id = m.instance_id
                                and q.message_id = m.message_id and q.state <> 'done')
                        order by m.created_at limit :max""")
                .bind("before", Times.toDb(before)).bind("max", max)
                .map((rs, ctx) -> new Owned(rs.getObject("tenant_id", UUID.class), record(rs)))
                .list());
    }

    @Override
    public List<MediaRecord> ofInstance(UUID instanceId, int max) {
        return session.withHandle(h -> h.createQuery(
                        "select * from media where instance_id = :instance order by created_at limit :max")
                .bind("instance", instanceId).bind("max", max)
                .map((rs, ctx) -> record(rs))
                .list());
    }

    private static MediaRecord record(ResultSet rs) throws SQLException {
        return new MediaRecord(rs.getObject("instance_id", UUID.class), rs.getString("message_id"),
                MediaStore.Kind.valueOf(rs.getString("store").toUpperCase(Locale.ROOT)),
                rs.getString("bucket"), rs.getString("object_key"), rs.getString("mime_type"),
                rs.getLong("size_bytes"), rs.getString("sha256"),
                Optional.ofNullable(rs.getString("file_name")), Times.read(rs, "created_at"));
    }

    @Override
    public boolean delete(UUID instanceId, String messageId) {
        return session.withHandle(h -> h.createUpdate(
                        "delete from media where instance_id = :instance and message_id = :message")
                .bind("instance", instanceId)
                .bind("message", messageId)
                .execute()) > 0;
    }
}
