package ponte.bootstrap;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The embedded default: a real PostgreSQL (binaries from Maven Central) whose cluster lives in the data folder, so
 * a restart keeps everything. A gateway killed with SIGKILL leaves its postmaster running; the next start, holding
 * the data folder's lock, stops that orphan before starting its own.
 */
final class EmbeddedDatabase implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedDatabase.class);
    private static final String BINARIES = "postgres-linux-x86_64.txz";

    private final EmbeddedPostgres postgres;
    private final FileLock lock;

    private EmbeddedDatabase(EmbeddedPostgres postgres, FileLock lock) {
        this.postgres = postgres;
        this.lock = lock;
    }

    static EmbeddedDatabase start(Path dataDir) throws IOException {
        Files.createDirectories(dataDir);
        var lock = lockDataDir(dataDir);
        var cluster = dataDir.resolve("postgres");
        stopOrphan(cluster);
        var postgres = EmbeddedPostgres.builder()
                .setDataDirectory(cluster)
                .setCleanDataDirectory(false)
                .setRegisterShutdownHook(false)
                .setPGStartupWait(Duration.ofSeconds(60))
                // zonky's test-oriented defaults (synchronous_commit=off, -F) lose the last commits when the
                // process dies: an event acknowledged to WhatsApp or a 204 to a user must survive a kill -9
                .setServerConfig("synchronous_commit", "on")
                .setServerConfig("fsync", "on")
                .setPgBinaryResolver(EmbeddedDatabase::binaries)
                .start();
        LOG.info("embedded PostgreSQL serving {} on port {}", cluster, postgres.getPort());
        return new EmbeddedDatabase(postgres, lock);
    }

    String jdbcUrl() {
        return postgres.getJdbcUrl("postgres", "postgres");
    }

    @Override
    public void close() throws IOException {
        try {
            postgres.close();
        } finally {
            lock.release();
            lock.channel().close();
        }
    }

    /** The binaries jar is an automatic module; its top-level resource is found through the class loader. */
    private static InputStream binaries(String system, String machine) throws IOException {
        if (!"Linux".equalsIgnoreCase(system) || !machine.contains("64")) {
            throw new IOException("the embedded PostgreSQL ships for linux x86_64 only; set PONTE_DATABASE_URL");
        }
        var in = EmbeddedDatabase.class.getClassLoader().getResourceAsStream(BINARIES);
        if (in == null) {
            throw new IOException(BINARIES + " is missing from the module path");
        }
        return in;
    }

    private static FileLock lockDataDir(Path dataDir) throws IOException {
        var channel = FileChannel.open(dataDir.resolve("ponte.lock"), StandardOpenOption.CREATE,
                StandardOpenOption.WRITE);
        var lock = channel.tryLock();
        if (lock == null) {
            channel.close();
            throw new StartupFailure("another gateway is using the data folder " + dataDir
                    + "; stop it, or set PONTE_DATA_DIR to another folder");
        }
        return lock;
    }

    private static void stopOrphan(Path cluster) throws IOException {
        var pidFile = cluster.resolve("postmaster.pid");
        if (!Files.exists(pidFile)) {
            return;
        }
        Optional<ProcessHandle> orphan = Files.readAllLines(pidFile).stream().findFirst()
                .map(String::strip)
                .filter(line -> line.matches("\\d+"))
                .flatMap(pid -> ProcessHandle.of(Long.parseLong(pid)))
                .filter(ProcessHandle::isAlive)
                .filter(process -> process.info().command().map(c -> c.contains("postgres")).orElse(true));
        if (orphan.isEmpty()) {
            return;
        }
        var process = orphan.get();
        LOG.warn("stopping PostgreSQL process {} left running by a gateway that did not shut down", process.pid());
        process.destroy();
        try {
            process.onExit().get(30, java.util.concurrent.TimeUnit.SECONDS);
        } catch (java.util.concurrent.TimeoutException e) {
            process.destroyForcibly();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while stopping the orphaned PostgreSQL", e);
        } catch (java.util.concurrent.ExecutionException e) {
            throw new IOException("could not stop the orphaned PostgreSQL", e);
        }
    }
}
