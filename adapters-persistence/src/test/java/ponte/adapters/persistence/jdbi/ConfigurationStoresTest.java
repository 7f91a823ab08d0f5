package ponte.adapters.persistence.jdbi;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import ponte.adapters.persistence.PersistenceAdapter;
import ponte.application.port.out.ChatwootStore;
import ponte.application.port.out.ProxyStore.SealedProxy;
import ponte.application.port.out.S3Store;
import ponte.domain.instance.Instance;
import ponte.domain.instance.InstanceName;
import ponte.domain.integration.ChatwootConfig;
import ponte.domain.integration.IntegrationStatus;
import ponte.domain.integration.S3Config;
import ponte.domain.proxy.ProxyProtocol;
import ponte.domain.settings.InstanceSettings;
import ponte.domain.tenant.Tenant;
import ponte.testing.PostgresFixture;

class ConfigurationStoresTest {
    private static final Instant NOW = Instant.parse("2026-11-21T10:00:00Z");
    private static final SealedProxy SOCKS = new SealedProxy(ProxyProtocol.SOCKS5, "proxy.example", 1080, "user",
            new byte[] {1, 2, 3});
    private static PersistenceAdapter db;

    @BeforeAll
    static void migrate() {
        db = PersistenceAdapter.migrateAndOpen(PostgresFixture.newDatabase().dataSource());
    }

    @Test
    void aTenantProxyIsReplacedAndDeleted() {
        var tenant = tenant();
        db.proxies().saveTenantProxy(tenant, SOCKS);
        var http = new SealedProxy(ProxyProtocol.HTTP, "other.example", 3128, null, null);
        db.proxies().saveTenantProxy(tenant, http);
        assertThat(db.proxies().tenantProxy(tenant)).hasValueSatisfying(p -> {
            assertThat(p.host()).isEqualTo("other.example");
            assertThat(p.sealedPassword()).isNull();
        });
        db.proxies().deleteTenantProxy(tenant);
        assertThat(db.proxies().tenantProxy(tenant)).isEmpty();
    }

    @Test
    void overridesListOnlyLiveInstancesOfTheTenant() {
        var tenant = tenant();
        var kept = instance(tenant, "kept");
        var deleted = instance(tenant, "deleted");
        var foreign = instance(tenant(), "foreign");
        db.proxies().saveInstanceProxy(tenant, kept, SOCKS);
        db.proxies().saveInstanceProxy(tenant, deleted, SOCKS);
        db.instances().softDelete(deleted, NOW);

        assertThat(db.proxies().overrides(tenant)).singleElement().satisfies(o -> {
            assertThat(o.instanceId()).isEqualTo(kept);
            assertThat(o.instanceName()).isEqualTo("kept");
            assertThat(o.proxy().sealedPassword()).containsExactly(1, 2, 3);
        });
        assertThat(db.proxies().liveInstances(tenant)).containsExactly(kept);
        assertThat(db.proxies().instanceProxy(tenant, foreign)).isEmpty();
    }

    @Test
    void settingsRoundTrip() {
        var tenant = tenant();
        var instance = instance(tenant, "settings");
        assertThat(db.instanceSettings().find(tenant, instance)).isEmpty();
        var settings = new InstanceSettings(true, "busy", true, false, true, false, true);
        db.instanceSettings().save(tenant, instance, settings);
        assertThat(db.instanceSettings().find(tenant, instance)).contains(settings);
    }

    @Test
    void aChatwootConfigRoundTripsAndIsDeletedOnce() {
        var tenant = tenant();
        var instance = instance(tenant, "chatwoot");
        var stored = new ChatwootStore.Stored(new ChatwootConfig(true, "https://cw.example", 7, "WhatsApp", true,
                false, true, false), new byte[] {9, 9}, 42L, IntegrationStatus.error("bad token"), NOW);
        db.chatwoot().save(tenant, instance, stored);
        var read = db.chatwoot().find(tenant, instance).orElseThrow();
        assertThat(read.config()).isEqualTo(stored.config());
        assertThat(read.sealedApiToken()).containsExactly(9, 9);
        assertThat(read.inboxId()).isEqualTo(42L);
        assertThat(read.status()).isEqualTo(stored.status());
        assertThat(db.chatwoot().delete(tenant, instance)).isTrue();
        assertThat(db.chatwoot().delete(tenant, instance)).isFalse();
    }

    @Test
    void anS3ConfigRoundTrips() {
        var tenant = tenant();
        var instance = instance(tenant, "s3");
        var stored = new S3Store.Stored(new S3Config(true, "eu-west-1", "media-bucket", "AKIA", "http://minio:9000",
                "media/", true), new byte[] {5}, IntegrationStatus.OK, NOW);
        db.s3().save(tenant, instance, stored);
        var read = db.s3().find(tenant, instance).orElseThrow();
        assertThat(read.config()).isEqualTo(stored.config());
        assertThat(read.status()).isEqualTo(IntegrationStatus.OK);
        assertThat(read.updatedAt()).isEqualTo(NOW);
    }

    @Test
    void aSoftDeletedInstanceKeepsNoConfiguration() {
        var tenant = tenant();
        var instance = instance(tenant, "gone");
        db.proxies().saveInstanceProxy(tenant, instance, SOCKS);
        db.instanceSettings().save(tenant, instance, InstanceSettings.DEFAULTS);
        db.chatwoot().save(tenant, instance, new ChatwootStore.Stored(new ChatwootConfig(true, "https://cw.example",
                7, "WhatsApp", false, false, false, false), new byte[] {9}, null, IntegrationStatus.OK, NOW));
        db.s3().save(tenant, instance, new S3Store.Stored(new S3Config(true, null, "media-bucket", "AKIA", null, null,
                false), new byte[] {5}, IntegrationStatus.OK, NOW));

        db.instances().softDelete(instance, NOW);

        assertThat(db.proxies().instanceProxy(tenant, instance)).isEmpty();
        assertThat(db.instanceSettings().find(tenant, instance)).isEmpty();
        assertThat(db.chatwoot().find(tenant, instance)).isEmpty();
        assertThat(db.s3().find(tenant, instance)).isEmpty();
    }

    @Test
    void aSoftDeletedTenantKeepsNoProxy() {
        var tenant = tenant();
        db.proxies().saveTenantProxy(tenant, SOCKS);

        db.tenants().softDelete(tenant, NOW);

        assertThat(db.proxies().tenantProxy(tenant)).isEmpty();
    }

    private static UUID tenant() {
        var tenant = new Tenant(UUID.randomUUID(), "t", 10, NOW);
        db.tenants().insert(tenant);
        return tenant.id();
    }

    private static UUID instance(UUID tenant, String name) {
        var instance = Instance.create(UUID.randomUUID(), tenant, new InstanceName(name), Map.of(), NOW).instance();
        db.instances().insert(instance);
        return instance.id();
    }
}
