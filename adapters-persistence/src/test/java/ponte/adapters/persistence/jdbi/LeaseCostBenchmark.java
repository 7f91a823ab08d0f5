package ponte.adapters.persistence.jdbi;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.Test;
import ponte.adapters.persistence.PersistenceAdapter;
import ponte.application.port.out.LeaseStore;
import ponte.domain.instance.Instance;
import ponte.domain.instance.InstanceName;
import ponte.domain.instance.LinkedAccount;
import ponte.domain.tenant.Tenant;
import ponte.testing.PostgresFixture;

/**
 * Not a test (surefire never picks it up by name): what holding leases costs PostgreSQL. One node holds
 * {@code bench.instances} leases and renews them as a node does every round (one statement), plus the fleet read of
 * each round; prints per round and per second at the default round of 5 s: statements, rows written, WAL bytes and
 * time. docs/scale-out.md quotes it:
 * {@code mvn -B -o -q -pl adapters-persistence -am verify -Dsurefire.failIfNoSpecifiedTests=false -Dtest=LeaseCostBenchmark}
 */
class LeaseCostBenchmark {
    private static final int INSTANCES = Integer.getInteger("bench.instances", 1000);
    private static final int ROUNDS = 20;
    private static final Duration ROUND = Duration.ofSeconds(5);
    private static final Duration LEASE = Duration.ofSeconds(20);

    @Test
    void renewingAThousandLeases() {
        var dataSource = PostgresFixture.newDatabase().dataSource();
        var db = PersistenceAdapter.migrateAndOpen(dataSource);
        var jdbi = Jdbi.create(dataSource);
        var tenant = new Tenant(UUID.randomUUID(), "bench", INSTANCES, Instant.now());
        db.tenants().insert(tenant);
        for (int i = 0; i < INSTANCES; i++) {
            var instance = Instance.create(UUID.randomUUID(), tenant.id(), new InstanceName("i" + i), Map.of(),
                    Instant.now()).instance();
            db.instances().insert(instance);
            db.instances().update(instance.reportConnected(new LinkedAccount("55119" + (10_000_000 + i), null, null,
                    null), Instant.now()).instance());
        }
        var leases = db.leases();
        var node = UUID.randomUUID();
        leases.join(new LeaseStore.NodeRecord(node, "http://bench", "bench", Optional.empty()));
        long took = System.nanoTime();
        int taken = leases.acquireResumable(node, INSTANCES, Set.of("manual"), LEASE).size();
        System.out.printf("took %d leases in one statement: %d ms%n", taken, (System.nanoTime() - took) / 1_000_000);

        long walBefore = wal(jdbi);
        long written = 0;
        long nanos = 0;
        for (int round = 0; round < ROUNDS; round++) {
            long start = System.nanoTime();
            int renewed = leases.renew(node, LEASE).size();
            leases.fleet(node, LEASE, Set.of("manual"));
            nanos += System.nanoTime() - start;
            if (renewed != INSTANCES) {
                throw new AssertionError("renewed " + renewed);
            }
            written += renewed + 1; // every lease, and the node's heartbeat
        }
        double rows = written / (double) ROUNDS;
        double walPerRound = (wal(jdbi) - walBefore) / (double) ROUNDS;
        double perSecond = 1.0 / ROUND.toSeconds();
        System.out.printf("%d leases, one round (renewal + fleet read): %.1f ms, %.0f rows updated, %.0f WAL bytes%n",
                INSTANCES, nanos / 1e6 / ROUNDS, rows, walPerRound);
        System.out.printf("per second at a %d s round: %.1f statements, %.0f rows updated, %.0f WAL bytes%n",
                ROUND.toSeconds(), 2 * perSecond, rows * perSecond, walPerRound * perSecond);
    }

    private static long wal(Jdbi jdbi) {
        return jdbi.withHandle(h -> h.createQuery("select (pg_current_wal_lsn() - '0/0'::pg_lsn)::bigint").mapTo(Long.class)
                .one());
    }
}
