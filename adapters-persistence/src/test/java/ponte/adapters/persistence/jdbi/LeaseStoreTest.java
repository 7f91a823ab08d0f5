package ponte.adapters.persistence.jdbi;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import ponte.adapters.persistence.PersistenceAdapter;
import ponte.application.model.GatewayNode;
import ponte.application.model.LeaseFence;
import ponte.application.port.out.LeaseStore;
import ponte.application.port.out.OutgoingQueue;
import ponte.domain.instance.DisconnectReason;
import ponte.domain.instance.Instance;
import ponte.domain.instance.InstanceName;
import ponte.domain.instance.LinkedAccount;
import ponte.domain.message.Jid;
import ponte.domain.message.MessageId;
import ponte.domain.tenant.Tenant;
import ponte.testing.PostgresFixture;

/**
 * Leases on a real PostgreSQL: every expiry is the database's {@code now()} (the times below are far from the
 * test machine's on purpose: nothing the store does reads them), epochs grow with each change of owner, and an
 * outgoing claim with a stale fence is refused.
 */
class LeaseStoreTest {
    /** An instant years away from the machine's clock: if the store used it, the leases would be wrong. */
    private static final Instant SKEWED = Instant.parse("2031-01-01T00:00:00Z");
    private static final UUID A = UUID.fromString("00000000-0000-0000-0000-0000000000a1");
    private static final UUID B = UUID.fromString("00000000-0000-0000-0000-0000000000b2");
    private static final Duration LEASE = Duration.ofSeconds(30);
    private static final Set<String> STOPPING = Set.of("manual", "logged_out");

    private PersistenceAdapter db;
    private LeaseStore leases;
    private Jdbi jdbi;
    private UUID tenantId;

    @BeforeEach
    void migrate() {
        var dataSource = PostgresFixture.newDatabase().dataSource();
        db = PersistenceAdapter.migrateAndOpen(dataSource);
        jdbi = Jdbi.create(dataSource);
        leases = db.leases();
        tenantId = UUID.randomUUID();
        db.tenants().insert(new Tenant(tenantId, "t", 100, SKEWED));
        leases.join(new LeaseStore.NodeRecord(A, "http://a:8080", "1.0", Optional.empty()));
        leases.join(new LeaseStore.NodeRecord(B, "http://b:8080", "1.0", Optional.of(5)));
    }

    @Test
    void nodesTakeResumableInstancesOnceEachAndNeverAValidLeaseOfAnother() {
        var one = linked("one");
        var two = linked("two");
        var stopped = linked("stopped");
        db.instances().update(stopped.reportDisconnected(DisconnectReason.MANUAL, SKEWED).instance());
        unlinked("pairing");

        var takenByA = leases.acquireResumable(A, 1, STOPPING, LEASE);
        var takenByB = leases.acquireResumable(B, 10, STOPPING, LEASE);
        assertThat(takenByA).hasSize(1);
        assertThat(takenByB).as("the rest, neither stopped nor unlinked").hasSize(1)
                .doesNotContainAnyElementsOf(takenByA);
        assertThat(leases.acquireResumable(A, 10, STOPPING, LEASE)).isEmpty();
        assertThat(leases.acquire(A, takenByB.getFirst().instanceId(), LEASE)).as("B's, valid").isEmpty();
        assertThat(leases.acquire(B, takenByB.getFirst().instanceId(), LEASE)).as("its own: renewed, same epoch")
                .contains(takenByB.getFirst());
        assertThat(leases.holder(one.id()).or(() -> leases.holder(two.id()))).isPresent();

        var fleet = leases.fleet(A, LEASE, STOPPING);
        assertThat(fleet).isEqualTo(new LeaseStore.Fleet(2, 2, 1));
        assertThat(leases.nodes()).extracting(n -> n.address() + " " + n.sessions() + " " + n.maxSessions())
                .containsExactlyInAnyOrder("http://a:8080 1 Optional.empty", "http://b:8080 1 Optional[5]");
    }

    @Test
    void anExpiredLeaseGoesToTheNextNodeWithAGreaterEpochAndItsOldOwnerNoLongerRenewsIt() {
        var one = linked("one");
        var first = leases.acquire(A, one.id(), LEASE).orElseThrow();
        expireAll();

        assertThat(leases.renew(A, LEASE)).as("expired: not A's to renew any more").isEmpty();
        var second = leases.acquireResumable(B, 10, STOPPING, LEASE);
        assertThat(second).singleElement().satisfies(fence -> {
            assertThat(fence.node()).isEqualTo(B);
            assertThat(fence.epoch()).isEqualTo(first.epoch() + 1);
        });
        assertThat(leases.renew(B, LEASE)).containsExactlyElementsOf(second);

        leases.release(B, List.of(one.id()));
        assertThat(leases.holder(one.id())).as("released: free at once").isEmpty();
        assertThat(leases.acquire(A, one.id(), LEASE).orElseThrow().epoch()).isEqualTo(first.epoch() + 2);
    }

    @Test
    void aDeletedInstancesLeaseIsNotRenewedAndLeavingFreesEverything() {
        var one = linked("one");
        var two = linked("two");
        leases.acquireResumable(A, 10, STOPPING, LEASE);
        db.instances().softDelete(two.id(), SKEWED);

        assertThat(leases.renew(A, LEASE)).extracting(LeaseFence::instanceId).containsExactly(one.id());

        leases.leave(A);
        assertThat(leases.holder(one.id())).isEmpty();
        assertThat(leases.nodes()).extracting(GatewayNode::id).containsExactly(B);
    }

    @Test
    void theOutgoingQueueRefusesAClaimWithAStaleFence() {
        var one = linked("one");
        var queue = db.messages().queue();
        queue.enqueue(one.id(), Jid.phone("5511987654321"), new MessageId("A1"),
                new OutgoingQueue.Send("hi", false, Optional.empty(), List.of(), List.of()), SKEWED);
        var stale = leases.acquire(A, one.id(), LEASE).orElseThrow();
        expireAll();
        var current = leases.acquireResumable(B, 10, STOPPING, LEASE).getFirst();

        assertThat(queue.markSending(one.id(), new MessageId("A1"), SKEWED, stale)).isFalse();
        assertThat(queue.heads(one.id()).getFirst().sending()).isFalse();
        assertThat(queue.markSending(one.id(), new MessageId("A1"), SKEWED,
                new LeaseFence(one.id(), A, current.epoch()))).as("the right epoch, the wrong node").isFalse();
        assertThat(queue.markSending(one.id(), new MessageId("A1"), SKEWED, current)).isTrue();
        assertThat(queue.heads(one.id()).getFirst().sending()).isTrue();
    }

    /** The database's clock moves on past every lease (as it would LEASE later). */
    private void expireAll() {
        jdbi.useHandle(h -> h.execute("update instance_leases set expires_at = now() - interval '1 second'"));
    }

    private Instance linked(String name) {
        var instance = unlinked(name);
        var connected = instance.reportConnected(new LinkedAccount("5511999999999", null, "Shop", "chrome"), SKEWED)
                .instance();
        db.instances().update(connected);
        return connected;
    }

    private Instance unlinked(String name) {
        var instance = Instance.create(UUID.randomUUID(), tenantId, new InstanceName(name), Map.of(), SKEWED)
                .instance();
        db.instances().insert(instance);
        return instance;
    }
}
