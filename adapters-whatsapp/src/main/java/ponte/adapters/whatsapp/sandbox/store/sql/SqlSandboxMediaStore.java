package ponte.adapters.whatsapp.sandbox.store.sql;

import java.util.List;
import java.util.Optional;
import org.jdbi.v3.core.Jdbi;
import ponte.adapters.whatsapp.sandbox.store.SandboxMediaStore;

/** {@link SandboxMediaStore} in {@code whatsapp.sandbox_media}. */
final class SqlSandboxMediaStore implements SandboxMediaStore {

    private final Jdbi jdbi;

    SqlSandboxMediaStore(Jdbi jdbi) {
        this.jdbi = jdbi;
    }

    @Override
    public void save(MediaFile file) {
        jdbi.useHandle(handle -> handle.createUpdate("""
                insert into whatsapp.sandbox_media (direct_path, file, uploader, kind, expired)
                values (:directPath, :file, :uploader, :kind, :expired)""")
                .bind("directPath", file.directPath())
                .bind("file", file.file())
                .bind("uploader", file.uploader())
                .bind("kind", file.kind())
                .bind("expired", file.expired())
                .execute());
    }

    @Override
    public Optional<MediaFile> find(String directPath) {
        return jdbi.withHandle(handle -> handle.createQuery("""
                select direct_path, file, uploader, kind, expired from whatsapp.sandbox_media
                where direct_path = :directPath""")
                .bind("directPath", directPath)
                .map((rs, ctx) -> new MediaFile(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4),
                        rs.getBoolean(5)))
                .findOne());
    }

    @Override
    public boolean expire(String directPath) {
        return jdbi.withHandle(handle -> handle.createUpdate(
                "update whatsapp.sandbox_media set expired = true where direct_path = :directPath")
                .bind("directPath", directPath)
                .execute()) > 0;
    }

    @Override
    public List<String> liveUploadsOf(String uploader) {
        return jdbi.withHandle(handle -> handle.createQuery("""
                select direct_path from whatsapp.sandbox_media where uploader = :uploader and not expired
                order by direct_path""")
                .bind("uploader", uploader)
                .mapTo(String.class)
                .list());
    }

    @Override
    public long count(String kind) {
        return jdbi.withHandle(handle -> handle.createQuery(
                "select count(*) from whatsapp.sandbox_media where kind = :kind")
                .bind("kind", kind)
                .mapTo(Long.class)
                .one());
    }
}
