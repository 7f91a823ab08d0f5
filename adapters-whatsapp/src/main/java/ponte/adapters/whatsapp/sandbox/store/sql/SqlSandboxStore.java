package ponte.adapters.whatsapp.sandbox.store.sql;

import java.time.Instant;
import java.util.Optional;
import java.util.function.Supplier;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.jdbi.v3.core.Jdbi;
import ponte.adapters.whatsapp.crypto.KeyPair;
import ponte.adapters.whatsapp.sandbox.store.SandboxDevice;
import ponte.adapters.whatsapp.sandbox.store.SandboxGroupStore;
import ponte.adapters.whatsapp.sandbox.store.SandboxMessageStore;
import ponte.adapters.whatsapp.sandbox.store.SandboxPhoneStore;
import ponte.adapters.whatsapp.sandbox.store.SandboxStore;

/**
 * The sandbox's durable state in PostgreSQL, in the schema {@code whatsapp} with its own Flyway history, so it
 * migrates independently of the application's tables in either order: a restarted sandbox keeps its root
 * (clients keep trusting it) and its devices.
 */
public final class SqlSandboxStore implements SandboxStore {

    private final Jdbi jdbi;

    private SqlSandboxStore(Jdbi jdbi) {
        this.jdbi = jdbi;
    }

    public static SqlSandboxStore migrateAndOpen(DataSource dataSource) {
        Flyway.configure(SqlSandboxStore.class.getClassLoader())
                .dataSource(dataSource)
                .locations("classpath:db/whatsapp")
                .schemas("whatsapp")
                .table("flyway_whatsapp_history")
                .load()
                .migrate();
        return new SqlSandboxStore(Jdbi.create(dataSource));
    }

    @Override
    public ServerKeys serverKeys(Supplier<ServerKeys> create, Instant now) {
        return jdbi.inTransaction(handle -> {
            handle.execute("lock table whatsapp.sandbox_server_keys in exclusive mode");
            Optional<ServerKeys> existing = handle
                    .createQuery("select root_private, static_private from whatsapp.sandbox_server_keys where id = 1")
                    .map((rs, ctx) -> new ServerKeys(KeyPair.fromPrivate(rs.getBytes(1)),
                            KeyPair.fromPrivate(rs.getBytes(2))))
                    .findOne();
            if (existing.isPresent()) {
                return existing.get();
            }
            ServerKeys created = create.get();
            handle.createUpdate("""
                    insert into whatsapp.sandbox_server_keys (id, root_private, static_private, created_at)
                    values (1, :root, :static, :now)""")
                    .bind("root", created.root().privateKey())
                    .bind("static", created.serverStatic().privateKey())
                    .bind("now", now)
                    .execute();
            return created;
        });
    }

    @Override
    public void saveRegistration(byte[] noisePublic, byte[] identityPublic, int registrationId, Instant now) {
        jdbi.useHandle(handle -> handle.createUpdate("""
                insert into whatsapp.sandbox_registration
                    (noise_public, identity_public, registration_id, registered_at)
                values (:noise, :identity, :registrationId, :now)
                on conflict (noise_public) do update
                set identity_public = excluded.identity_public, registration_id = excluded.registration_id,
                    registered_at = excluded.registered_at""")
                .bind("noise", noisePublic)
                .bind("identity", identityPublic)
                .bind("registrationId", registrationId)
                .bind("now", now)
                .execute());
    }

    @Override
    public Optional<SandboxDevice> device(String phone, int device) {
        return jdbi.withHandle(handle -> handle.createQuery("""
                select phone, device, lid, noise_public, identity_public from whatsapp.sandbox_device
                where phone = :phone and device = :device""")
                .bind("phone", phone)
                .bind("device", device)
                .map((rs, ctx) -> new SandboxDevice(rs.getString(1), rs.getInt(2), rs.getString(3),
                        rs.getBytes(4), rs.getBytes(5)))
                .findOne());
    }

    @Override
    public SandboxPhoneStore phones() {
        return new SqlSandboxPhoneStore(jdbi);
    }

    @Override
    public SandboxMessageStore messages() {
        return new SqlSandboxMessageStore(jdbi);
    }

    @Override
    public SandboxGroupStore groups() {
        return new SqlSandboxGroupStore(jdbi);
    }

    @Override
    public ponte.adapters.whatsapp.sandbox.store.SandboxMediaStore media() {
        return new SqlSandboxMediaStore(jdbi);
    }
}
