package ponte.adapters.whatsapp.sandbox;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import javax.sql.DataSource;
import ponte.adapters.whatsapp.sandbox.store.SandboxStore;
import ponte.testing.PostgresFixture;

/** A sandbox on an ephemeral loopback port over its own fresh database, pinging every 300 ms. */
public final class SandboxFixture {

    private SandboxFixture() {
    }

    public static DataSource database() {
        return PostgresFixture.newDatabase().dataSource();
    }

    public static SandboxOptions fastOptions() {
        return SandboxOptions.defaults("127.0.0.1", 0).withPingInterval(Duration.ofMillis(300));
    }

    public static SandboxServer start(SandboxStore store, SandboxOptions options) throws Exception {
        return SandboxServer.start(store, options, Clock.systemUTC(), new SecureRandom());
    }
}
