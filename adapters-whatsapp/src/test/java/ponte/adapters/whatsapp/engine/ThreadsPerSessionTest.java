package ponte.adapters.whatsapp.engine;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import ponte.adapters.whatsapp.bench.LinkedSandboxSessions;

/**
 * The platform thread count does not grow with sessions: 250 instances linked to the sandbox in this JVM (engine,
 * sandbox and database driver included) stay under 100 live platform threads. Before the clients shared their
 * timers, each held a platform thread of its own: 555 threads for 500 sessions (docs/benchmarks.md, which also
 * gives the command for 2,000). 250 keeps the suite's linking within its time on a loaded 2-core machine while a
 * thread per session would still break the bound more than twice over.
 */
class ThreadsPerSessionTest {

    @Test
    void twoHundredFiftyLinkedSessionsRunOnFewerThanAHundredPlatformThreads() throws Exception {
        try (var sessions = new LinkedSandboxSessions()) {
            sessions.link(250, 25);
            // on a starved machine a session may drop and come back (its keepalive late): count it once it is back
            long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(120);
            while (sessions.online() < 250 && System.nanoTime() < deadline) {
                Thread.sleep(500);
            }

            var figures = LinkedSandboxSessions.measure();

            assertThat(sessions.online()).as("drops: %s", sessions.disconnects()).isEqualTo(250);
            assertThat(figures.platformThreads()).as(figures.toString()).isLessThan(100);
        }
    }
}
