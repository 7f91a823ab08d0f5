package ponte.adapters.whatsapp.sandbox.store.sql;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.jdbi.v3.core.Jdbi;
import ponte.adapters.whatsapp.sandbox.store.SandboxMessageStore;

/** {@link SandboxMessageStore} in {@code whatsapp.sandbox_queue} and {@code whatsapp.sandbox_phone_signal}. */
final class SqlSandboxMessageStore implements SandboxMessageStore {

    private final Jdbi jdbi;

    SqlSandboxMessageStore(Jdbi jdbi) {
        this.jdbi = jdbi;
    }

    @Override
    public void enqueue(String phone, int device, String key, byte[] stanza, Instant now) {
        jdbi.useHandle(handle -> handle.createUpdate("""
                insert into whatsapp.sandbox_queue (phone, device, stanza_key, stanza, queued_at)
                values (:phone, :device, :key, :stanza, :now)
                on conflict (phone, device, stanza_key) do nothing""")
                .bind("phone", phone)
                .bind("device", device)
                .bind("key", key)
                .bind("stanza", stanza)
                .bind("now", now)
                .execute());
    }

    @Override
    public List<byte[]> queued(String phone, int device) {
        return jdbi.withHandle(handle -> handle.createQuery("""
                select stanza from whatsapp.sandbox_queue where phone = :phone and device = :device order by seq""")
                .bind("phone", phone)
                .bind("device", device)
                .map((rs, ctx) -> rs.getBytes(1))
                .list());
    }

    @Override
    public void acknowledge(String phone, int device, String keyPrefix) {
        jdbi.useHandle(handle -> handle.createUpdate("""
                delete from whatsapp.sandbox_queue
                where phone = :phone and device = :device and left(stanza_key, length(:prefix)) = :prefix""")
                .bind("phone", phone)
                .bind("device", device)
                .bind("prefix", keyPrefix)
                .execute());
    }

    @Override
    public Optional<byte[]> phoneRecord(String phone, String kind, String name) {
        return jdbi.withHandle(handle -> handle.createQuery("""
                select value from whatsapp.sandbox_phone_signal where phone = :phone and kind = :kind and name = :name""")
                .bind("phone", phone)
                .bind("kind", kind)
                .bind("name", name)
                .map((rs, ctx) -> rs.getBytes(1))
                .findOne());
    }

    @Override
    public void savePhoneRecord(String phone, String kind, String name, byte[] value) {
        jdbi.useHandle(handle -> handle.createUpdate("""
                insert into whatsapp.sandbox_phone_signal (phone, kind, name, value) values (:phone, :kind, :name, :value)
                on conflict (phone, kind, name) do update set value = excluded.value""")
                .bind("phone", phone)
                .bind("kind", kind)
                .bind("name", name)
                .bind("value", value)
                .execute());
    }

    @Override
    public void removePhoneRecord(String phone, String kind, String name) {
        jdbi.useHandle(handle -> handle.createUpdate("""
                delete from whatsapp.sandbox_phone_signal where phone = :phone and kind = :kind and name = :name""")
                .bind("phone", phone)
                .bind("kind", kind)
                .bind("name", name)
                .execute());
    }
}
