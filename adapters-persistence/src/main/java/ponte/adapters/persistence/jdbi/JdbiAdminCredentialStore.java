package ponte.adapters.persistence.jdbi;

import java.time.Instant;
import java.util.Optional;
import ponte.application.port.out.AdminCredentialStore;

public final class JdbiAdminCredentialStore implements AdminCredentialStore {
    private final JdbiSession session;

    public JdbiAdminCredentialStore(JdbiSession session) {
        this.session = session;
    }

    @Override
    public Optional<byte[]> hash() {
        return session.withHandle(h -> h.createQuery("select token_hash from admin_credential")
                .mapTo(byte[].class)
                .findOne());
    }

    @Override
    public boolean storeIfAbsent(byte[] hash, Instant at) {
        return session.withHandle(h -> h.createUpdate("""
                        insert into admin_credential (token_hash, created_at) values (:hash, :at)
                        on conflict (singleton) do nothing""")
                .bind("hash", hash)
                .bind("at", Times.toDb(at))
                .execute()) == 1;
    }
}
