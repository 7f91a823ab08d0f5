package ponte.adapters.whatsapp.sandbox.store.sql;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.PreparedBatch;
import ponte.adapters.whatsapp.binary.Jid;
import ponte.adapters.whatsapp.crypto.KeyPair;
import ponte.adapters.whatsapp.sandbox.store.KeyBundle;
import ponte.adapters.whatsapp.sandbox.store.LinkedDevice;
import ponte.adapters.whatsapp.sandbox.store.SandboxDevice;
import ponte.adapters.whatsapp.sandbox.store.SandboxPhoneStore;
import ponte.adapters.whatsapp.sandbox.store.UploadedKeys;
import ponte.adapters.whatsapp.sandbox.store.VirtualPhone;

/** Virtual phones, their device lists and the keys their devices uploaded, in the sandbox's tables. */
final class SqlSandboxPhoneStore implements SandboxPhoneStore {

    private static final String PHONE_COLUMNS = "phone, push_name, lid, identity_private, raw_id";

    private final Jdbi jdbi;
    private final Map<String, KeyPair> identities = new ConcurrentHashMap<>();

    SqlSandboxPhoneStore(Jdbi jdbi) {
        this.jdbi = jdbi;
    }

    /** False when the number is taken. */
    @Override
    public boolean createPhone(VirtualPhone phone, Instant now) {
        return jdbi.withHandle(handle -> handle.createUpdate("""
                insert into whatsapp.sandbox_phone (phone, push_name, lid, identity_private, raw_id, created_at)
                values (:phone, :pushName, :lid, :identity, :rawId, :now)
                on conflict (phone) do nothing""")
                .bind("phone", phone.phone())
                .bind("pushName", phone.pushName())
                .bind("lid", phone.lid())
                .bind("identity", phone.identity().privateKey())
                .bind("rawId", phone.rawId())
                .bind("now", now)
                .execute() == 1);
    }

    @Override
    public Optional<VirtualPhone> phone(String phone) {
        return jdbi.withHandle(handle -> handle.createQuery(
                "select " + PHONE_COLUMNS + " from whatsapp.sandbox_phone where phone = :phone")
                .bind("phone", phone)
                .map((rs, ctx) -> virtualPhone(rs))
                .findOne());
    }

    @Override
    public Optional<VirtualPhone> phoneByLid(String lid) {
        return jdbi.withHandle(handle -> handle.createQuery(
                "select " + PHONE_COLUMNS + " from whatsapp.sandbox_phone where lid = :lid")
                .bind("lid", lid)
                .map((rs, ctx) -> virtualPhone(rs))
                .findOne());
    }

    @Override
    public List<VirtualPhone> phones() {
        return jdbi.withHandle(handle -> handle.createQuery(
                "select " + PHONE_COLUMNS + " from whatsapp.sandbox_phone order by created_at")
                .map((rs, ctx) -> virtualPhone(rs))
                .list());
    }

    private VirtualPhone virtualPhone(ResultSet rs) throws SQLException {
        return new VirtualPhone(rs.getString(1), rs.getString(2), rs.getString(3), identity(rs.getBytes(4)),
                rs.getInt(5));
    }

    /**
     * The account key pair of a stored private key. The public half is a pure function of the private one (an
     * X25519 scalar multiplication), so it is derived once per key and kept: the router reads an account for
     * every stanza and receipt it routes, and re-deriving it there dominated the sandbox's CPU. Keyed by the
     * private key itself, an entry can never go stale; there is one per phone ever read.
     */
    private KeyPair identity(byte[] privateKey) {
        return identities.computeIfAbsent(HexFormat.of().formatHex(privateKey), hex -> KeyPair.fromPrivate(privateKey));
    }

    /** The next device slot of the phone; slots are never reused, as WhatsApp's are not. */
    @Override
    public int allocateDevice(String phone) {
        return jdbi.withHandle(handle -> handle.createQuery("""
                update whatsapp.sandbox_phone set last_device = last_device + 1 where phone = :phone
                returning last_device""")
                .bind("phone", phone)
                .mapTo(Integer.class).one());
    }

    @Override
    public void link(SandboxDevice device, String platform, int keyIndex, Instant now) {
        jdbi.useHandle(handle -> handle.createUpdate("""
                insert into whatsapp.sandbox_device (phone, device, lid, noise_public, identity_public, created_at,
                    platform, key_index)
                values (:phone, :device, :lid, :noise, :identity, :now, :platform, :keyIndex)""")
                .bind("phone", device.phone())
                .bind("device", device.device())
                .bind("lid", device.lid())
                .bind("noise", device.noisePublic())
                .bind("identity", device.identityPublic())
                .bind("now", now)
                .bind("platform", platform)
                .bind("keyIndex", keyIndex)
                .execute());
    }

    @Override
    public List<LinkedDevice> devices(String phone) {
        return jdbi.withHandle(handle -> handle.createQuery("""
                select phone, device, lid, platform, key_index, created_at from whatsapp.sandbox_device
                where phone = :phone order by device""")
                .bind("phone", phone)
                .map((rs, ctx) -> new LinkedDevice(rs.getString(1), rs.getInt(2),
                        Jid.device(rs.getString(1), rs.getInt(2), Jid.USER_SERVER).toString(),
                        rs.getString(3) + "@" + Jid.LID_SERVER, rs.getString(4), rs.getInt(5),
                        rs.getTimestamp(6).toInstant()))
                .list());
    }

    /** True when the device was on the list. */
    @Override
    public boolean unlink(String phone, int device) {
        return jdbi.withHandle(handle -> handle.createUpdate(
                "delete from whatsapp.sandbox_device where phone = :phone and device = :device")
                .bind("phone", phone)
                .bind("device", device)
                .execute() == 1);
    }

    @Override
    public void saveKeys(String phone, int device, UploadedKeys keys) {
        jdbi.useTransaction(handle -> {
            handle.createUpdate("""
                    insert into whatsapp.sandbox_signed_prekey
                        (phone, device, registration_id, key_id, public_key, signature)
                    values (:phone, :device, :registrationId, :keyId, :public, :signature)
                    on conflict (phone, device) do update
                    set registration_id = excluded.registration_id, key_id = excluded.key_id,
                        public_key = excluded.public_key, signature = excluded.signature""")
                    .bind("phone", phone)
                    .bind("device", device)
                    .bind("registrationId", keys.registrationId())
                    .bind("keyId", keys.signedPreKeyId())
                    .bind("public", keys.signedPreKey())
                    .bind("signature", keys.signedPreKeySignature())
                    .execute();
            PreparedBatch batch = handle.prepareBatch("""
                    insert into whatsapp.sandbox_prekey (phone, device, key_id, public_key)
                    values (:phone, :device, :keyId, :public)
                    on conflict (phone, device, key_id) do update set public_key = excluded.public_key""");
            keys.preKeys().forEach((id, key) -> batch.bind("phone", phone).bind("device", device)
                    .bind("keyId", id).bind("public", key).add());
            if (!keys.preKeys().isEmpty()) {
                batch.execute();
            }
        });
    }

    @Override
    public int preKeyCount(String phone, int device) {
        return jdbi.withHandle(handle -> handle.createQuery(
                "select count(*) from whatsapp.sandbox_prekey where phone = :phone and device = :device")
                .bind("phone", phone)
                .bind("device", device)
                .mapTo(Integer.class).one());
    }

    @Override
    public Optional<KeyBundle> takeBundle(String phone, int device) {
        return jdbi.inTransaction(handle -> {
            Optional<KeyBundle> signed = handle.createQuery("""
                    select s.registration_id, d.identity_public, s.key_id, s.public_key, s.signature
                    from whatsapp.sandbox_signed_prekey s
                    join whatsapp.sandbox_device d on d.phone = s.phone and d.device = s.device
                    where s.phone = :phone and s.device = :device""")
                    .bind("phone", phone)
                    .bind("device", device)
                    .map((rs, ctx) -> new KeyBundle(rs.getInt(1), rs.getBytes(2), rs.getInt(3), rs.getBytes(4),
                            rs.getBytes(5), Optional.empty(), 0))
                    .findOne();
            if (signed.isEmpty()) {
                return Optional.empty();
            }
            Optional<KeyBundle.OneTimeKey> taken = handle.createQuery("""
                    delete from whatsapp.sandbox_prekey
                    where (phone, device, key_id) = (
                        select phone, device, key_id from whatsapp.sandbox_prekey
                        where phone = :phone and device = :device order by key_id limit 1 for update)
                    returning key_id, public_key""")
                    .bind("phone", phone)
                    .bind("device", device)
                    .map((rs, ctx) -> new KeyBundle.OneTimeKey(rs.getInt(1), rs.getBytes(2)))
                    .findOne();
            int remaining = handle.createQuery(
                    "select count(*) from whatsapp.sandbox_prekey where phone = :phone and device = :device")
                    .bind("phone", phone)
                    .bind("device", device)
                    .mapTo(Integer.class).one();
            KeyBundle bundle = signed.get();
            return Optional.of(new KeyBundle(bundle.registrationId(), bundle.identity(), bundle.signedPreKeyId(),
                    bundle.signedPreKey(), bundle.signedPreKeySignature(), taken, remaining));
        });
    }
}
