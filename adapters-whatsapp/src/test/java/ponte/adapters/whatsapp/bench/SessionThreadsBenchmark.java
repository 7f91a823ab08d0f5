package ponte.adapters.whatsapp.bench;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/**
 * Not a test (surefire never picks it up by name): links {@code bench.sessions} instances to the sandbox through
 * the engine, keeps them online a minute with WhatsApp's timings, then prints the live platform threads and the
 * heap in use, before and after. See docs/benchmarks.md:
 * {@code mvn -B -o -pl adapters-whatsapp -am verify -DskipITs -Dsurefire.failIfNoSpecifiedTests=false
 * -Dtest=SessionThreadsBenchmark -Dbench.sessions=500}
 */
class SessionThreadsBenchmark {
    private static final int SESSIONS = Integer.getInteger("bench.sessions", 500);
    /** How many instances pair at the same time. */
    private static final int PARALLEL = Integer.getInteger("bench.parallel", 25);

    @Test
    void linkedSessions() throws Exception {
        System.out.printf("machine: %d cores, %s %s, JDK %s, max heap %d MB%n",
                Runtime.getRuntime().availableProcessors(), System.getProperty("os.name"),
                System.getProperty("os.arch"), Runtime.version(), Runtime.getRuntime().maxMemory() >> 20);
        try (var sessions = new LinkedSandboxSessions()) {
            var before = LinkedSandboxSessions.measure();
            System.out.printf("before any session: %s%n", before);
            Instant started = Instant.now();
            sessions.link(SESSIONS, PARALLEL);
            System.out.printf("%d sessions linked and online in %d s%n", SESSIONS,
                    Duration.between(started, Instant.now()).toSeconds());
            // a minute online: keepalive pings and the sandbox's pings both run at least once per session
            Thread.sleep(Long.getLong("bench.online.ms", 60_000));
            var after = LinkedSandboxSessions.measure();
            System.out.printf("with %d linked sessions online (%d online now, %d disconnects): %s%n",
                    SESSIONS, sessions.online(), sessions.disconnects().size(), after);
            System.out.printf("per session: %.2f platform threads, %.1f KB heap%n",
                    (after.platformThreads() - before.platformThreads()) / (double) SESSIONS,
                    (after.heapBytes() - before.heapBytes()) / 1024.0 / SESSIONS);
        }
    }
}
