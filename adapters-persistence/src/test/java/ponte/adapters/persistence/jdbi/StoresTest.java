package ponte.adapters.persistence.jdbi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import ponte.adapters.persistence.PersistenceAdapter;
import ponte.application.error.ConflictException;
import ponte.application.model.PageRequest;
import ponte.domain.auth.Principal;
import ponte.domain.auth.TokenKind;
import ponte.domain.instance.DisconnectReason;
import ponte.domain.instance.Instance;
import ponte.domain.instance.InstanceName;
import ponte.domain.instance.LinkedAccount;
import ponte.domain.tenant.Tenant;
import ponte.testing.PostgresFixture;

class StoresTest {
    private static final Instant NOW = Instant.parse("2026-11-21T10:00:00Z");
    private static final java.util.concurrent.atomic.AtomicLong SEQUENCE = new java.util.concurrent.atomic.AtomicLong(1);
    private static PersistenceAdapter db;

    @BeforeAll
    static void migrate() {
        db = PersistenceAdapter.migrateAndOpen(PostgresFixture.newDatabase().dataSource());
    }

    @Test
    void migratingTwiceIsHarmless() {
        PersistenceAdapter.migrateAndOpen(db.dataSource());
        assertThat(db.isReachable()).isTrue();
    }

    @Test
    void anInstanceRoundTripsWithItsStatusAccountAndMetadata() {
        var tenant = tenant();
        var created = Instance.create(id(), tenant.id(), new InstanceName("sales"), Map.of("team", "a", "n", 3), NOW)
                .instance();
        db.instances().insert(created);
        var connected = created.startConnecting(NOW).instance()
                .markConnected(new LinkedAccount("5511999999999", "123@lid", "Sales", "chrome"), NOW).instance()
                .markDisconnected(DisconnectReason.NETWORK, NOW.plusSeconds(5)).instance();
        db.instances().update(connected);

        var read = db.instances().find(tenant.id(), created.id()).orElseThrow();
        assertThat(read).isEqualTo(connected);
        assertThat(read.metadata()).containsEntry("team", "a").containsEntry("n", 3);
    }

    @Test
    void aLiveNameIsUniqueWithinATenantButFreedBySoftDelete() {
        var tenant = tenant();
        var first = Instance.create(id(), tenant.id(), new InstanceName("dup"), Map.of(), NOW).instance();
        db.instances().insert(first);
        var second = Instance.create(id(), tenant.id(), new InstanceName("dup"), Map.of(), NOW).instance();
        assertThatThrownBy(() -> db.instances().insert(second)).isInstanceOf(ConflictException.class);

        db.instances().softDelete(first.id(), NOW);
        db.instances().insert(second);
        assertThat(db.instances().findByName(tenant.id(), "dup")).map(Instance::id).contains(second.id());
        assertThat(db.instances().countLive(tenant.id())).isEqualTo(1);
    }

    @Test
    void anotherTenantsInstanceIsInvisible() {
        var owner = tenant();
        var stranger = tenant();
        var instance = Instance.create(id(), owner.id(), new InstanceName("mine"), Map.of(), NOW).instance();
        db.instances().insert(instance);
        assertThat(db.instances().find(stranger.id(), instance.id())).isEmpty();
        assertThat(db.instances().findByName(stranger.id(), "mine")).isEmpty();
    }

    @Test
    void listingPagesNewestFirstWithACursor() {
        var tenant = tenant();
        for (int i = 0; i < 5; i++) {
            db.instances().insert(Instance.create(id(), tenant.id(), new InstanceName("i" + i), Map.of(), NOW)
                    .instance());
        }
        var first = db.instances().list(tenant.id(), null, new PageRequest(3, null));
        assertThat(first.items()).extracting(i -> i.name().value()).containsExactly("i4", "i3", "i2");
        var second = db.instances().list(tenant.id(), null, new PageRequest(3, first.nextCursor()));
        assertThat(second.items()).extracting(i -> i.name().value()).containsExactly("i1", "i0");
        assertThat(second.nextCursor()).isNull();
    }

    @Test
    void aRevokedTokenNoLongerAuthenticatesAndItsHashCanBeReused() {
        var tenant = tenant();
        var hash = new byte[] {1, 2, 3, (byte) System.nanoTime()};
        var tokenId = id();
        db.tokens().insert(tokenId, new Principal(TokenKind.ACCOUNT, tokenId, tenant.id(), null), hash, NOW);
        assertThat(db.tokens().findLive(hash)).map(Principal::tenantId).contains(tenant.id());
        assertThatThrownBy(() -> db.tokens().insert(id(), new Principal(TokenKind.ACCOUNT, tokenId, tenant.id(), null),
                hash, NOW)).isInstanceOf(ConflictException.class);

        db.tokens().revokeForTenant(tenant.id(), NOW);
        assertThat(db.tokens().findLive(hash)).isEmpty();
        assertThat(db.tokens().isTaken(hash)).isFalse();
    }

    @Test
    void aSoftDeletedTenantsTokensStopWorking() {
        var tenant = tenant();
        var hash = new byte[] {9, 9, (byte) System.nanoTime()};
        var tokenId = id();
        db.tokens().insert(tokenId, new Principal(TokenKind.ACCOUNT, tokenId, tenant.id(), null), hash, NOW);
        db.tenants().softDelete(tenant.id(), NOW);
        assertThat(db.tokens().findLive(hash)).isEmpty();
        assertThat(db.tenants().find(tenant.id())).isEmpty();
    }

    @Test
    void theAdminCredentialIsStoredOnce() {
        var stored = db.adminCredential().storeIfAbsent(new byte[] {1}, NOW);
        var again = db.adminCredential().storeIfAbsent(new byte[] {2}, NOW);
        assertThat(stored).isTrue();
        assertThat(again).isFalse();
        assertThat(db.adminCredential().hash()).hasValueSatisfying(h -> assertThat(h).containsExactly(1));
    }

    @Test
    void aTransactionThatFailsLeavesNothingBehind() {
        var tenant = new Tenant(id(), "rolled back", 1, NOW.truncatedTo(ChronoUnit.MICROS));
        assertThatThrownBy(() -> db.transactions().run(() -> {
            db.tenants().insert(tenant);
            throw new IllegalStateException("boom");
        })).hasMessage("boom");
        assertThat(db.tenants().find(tenant.id())).isEmpty();
    }

    @Test
    void theShownQrIsReplacedOnRotationAndClearedAfterwards() {
        var instance = Instance.create(id(), tenant().id(), new InstanceName("pairing"), Map.of(), NOW).instance();
        db.instances().insert(instance);
        var qrs = db.pairingQrs();
        qrs.show(instance.id(), "2@first", NOW.plusSeconds(60));
        qrs.show(instance.id(), "2@second", NOW.plusSeconds(80));
        assertThat(qrs.current(instance.id())).map(q -> q.qr()).contains("2@second");
        qrs.clear(instance.id());
        assertThat(qrs.current(instance.id())).isEmpty();
    }

    @Test
    void onlyLinkedInstancesAreListedAsDevices() {
        var tenant = tenant();
        var linked = Instance.create(id(), tenant.id(), new InstanceName("linked"), Map.of(), NOW).instance()
                .startConnecting(NOW).instance()
                .markConnected(new LinkedAccount("5511999999999", null, "Shop", "chrome"), NOW).instance();
        db.instances().insert(Instance.create(id(), tenant.id(), new InstanceName("idle"), Map.of(), NOW).instance());
        db.instances().insert(linked);
        assertThat(db.instances().listLinked(tenant.id())).extracting(i -> i.name().value()).containsExactly("linked");
        assertThat(db.sessionDirectory().findLive(linked.id())).isPresent();
        assertThat(db.sessionDirectory().listLinked()).extracting(Instance::id).contains(linked.id());
        assertThat(db.sessionDirectory().listActive()).extracting(Instance::id).contains(linked.id());
    }

    private static Tenant tenant() {
        var tenant = new Tenant(id(), "t", 10, NOW);
        db.tenants().insert(tenant);
        return tenant;
    }

    /** Time-ordered like the UUIDv7 ids the gateway issues, so newest-first order is creation order. */
    private static UUID id() {
        return new UUID(SEQUENCE.incrementAndGet(), UUID.randomUUID().getLeastSignificantBits());
    }
}
