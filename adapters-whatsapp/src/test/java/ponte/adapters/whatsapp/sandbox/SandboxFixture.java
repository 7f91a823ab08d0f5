package ponte.adapters.whatsapp.sandbox;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import javax.sql.DataSource;
import ponte.adapters.whatsapp.client.ClientSettings;
import ponte.adapters.whatsapp.client.WaVersion;
import ponte.adapters.whatsapp.socket.SocketSettings;
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

    /**
     * A client's settings for dialling {@code sandbox} (its chat URL, trusting its root) with short timings: 5 s to
     * connect and for an answer, keep-alive every 500 ms, reconnecting after 800 ms, 100 ms between retries.
     */
    public static ClientSettings fastClientSettings(SandboxServer sandbox) {
        return ClientSettings.of(SocketSettings.whatsapp().withEndpoint(sandbox.wsUrl(), sandbox.trustRoot()),
                WaVersion.DEFAULT).withTimings(Duration.ofSeconds(5), Duration.ofMillis(500), Duration.ofMillis(800),
                Duration.ofSeconds(5), Duration.ofMillis(100));
    }

    public static SandboxServer start(SandboxStore store, SandboxOptions options) throws Exception {
        return SandboxServer.start(store, options, Clock.systemUTC(), new SecureRandom());
    }
}
