package ponte.adapters.whatsapp.sandbox;

import static org.assertj.core.api.Assertions.assertThat;

import java.security.SecureRandom;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import ponte.adapters.whatsapp.sandbox.store.sql.SqlSandboxStore;
import ponte.adapters.whatsapp.socket.SocketOpener;
import ponte.adapters.whatsapp.socket.WebSocketClient;

/** How the sandbox's chat endpoint treats a connection, apart from what is said on it. */
class SandboxServerTest {

    @Test
    void aConnectionSilentForTheIdleTimeoutIsDropped() throws Exception {
        var options = SandboxFixture.fastOptions().withIdleTimeout(Duration.ofMillis(500));
        try (SandboxServer sandbox = SandboxFixture.start(SqlSandboxStore.migrateAndOpen(SandboxFixture.database()),
                options)) {
            var closed = new CompletableFuture<Long>();
            long opened = System.nanoTime();
            try (var socket = WebSocketClient.connect(sandbox.wsUrl(), Map.of(), SocketOpener.direct(),
                    Duration.ofSeconds(5), new SecureRandom(), new WebSocketClient.Listener() {
                        @Override
                        public void onBinary(byte[] message) {
                        }

                        @Override
                        public void onClosed(Throwable cause) {
                            closed.complete(System.nanoTime());
                        }
                    })) {
                // Jetty's own default is 30 s: dropped within seconds means the option took effect
                long silentFor = TimeUnit.NANOSECONDS.toMillis(closed.get(5, TimeUnit.SECONDS) - opened);
                assertThat(silentFor).isBetween(400L, 4_000L);
            }
        }
    }
}
