package ponte.application.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import ponte.application.port.in.ChatwootConfigUseCase.ConfigureChatwoot;
import ponte.application.port.in.S3ConfigUseCase.ConfigureS3;
import ponte.application.port.out.ChatwootInboxPort;
import ponte.application.port.out.ChatwootStore;
import ponte.application.port.out.S3Store;
import ponte.domain.auth.Principal;
import ponte.domain.auth.TokenKind;
import ponte.domain.instance.Instance;
import ponte.domain.instance.InstanceName;
import ponte.domain.integration.ChatwootConfig;
import ponte.domain.integration.IntegrationStatus;
import ponte.domain.integration.S3Config;
import ponte.domain.validation.ValidationException;

/** Chatwoot and S3 configuration over in-memory stores and outside services whose answers the test decides. */
class IntegrationConfigTest {
    private static final Instant NOW = Instant.parse("2026-11-21T10:00:00Z");
    private static final ChatwootConfig.Patch CHATWOOT = new ChatwootConfig.Patch(true, "https://cw.example", 3L,
            "Support", false, false, false, false);
    private static final S3Config.Patch S3 = new S3Config.Patch(true, null, "media", "AKIA", null, "media/", false);

    private final UUID tenantId = UUID.randomUUID();
    private final Principal account = new Principal(TokenKind.ACCOUNT, UUID.randomUUID(), tenantId, null);
    private final InMemoryPorts.Instances instances = new InMemoryPorts.Instances();
    private final Chatwoot chatwoot = new Chatwoot();
    private final ChatwootRows chatwootRows = new ChatwootRows();
    private final S3Rows s3Rows = new S3Rows();
    private final List<String> checkedSecrets = new ArrayList<>();
    private IntegrationStatus bucketAnswer = IntegrationStatus.OK;
    private final ChatwootService chatwootService = new ChatwootService(chatwootRows, chatwoot,
            new InstanceAccess(instances), new InMemoryPorts.DirectTransactions(), new InMemoryPorts.ReversingCipher(),
            Clock.fixed(NOW, ZoneOffset.UTC), (prefix, bytes) -> prefix + "fixed-secret",
            ponte.domain.egress.EgressPolicy.STRICT, null);
    private final S3Service s3Service = new S3Service(s3Rows, (config, secret) -> {
        checkedSecrets.add(secret);
        return bucketAnswer;
    }, new InstanceAccess(instances), new InMemoryPorts.DirectTransactions(), new InMemoryPorts.ReversingCipher(),
            Clock.fixed(NOW, ZoneOffset.UTC));

    @Test
    void aFailedActivationIsStoredAsAnErrorNotThrown() {
        instance("support");
        chatwoot.answer = ChatwootInboxPort.Activation.failed("token refused");

        var state = chatwootService.configure(account, "support", new ConfigureChatwoot(CHATWOOT, "tok"));

        assertThat(state.status()).isEqualTo(IntegrationStatus.error("token refused"));
        assertThat(chatwootService.find(account, "support").orElseThrow().status().reason()).isEqualTo("token refused");
    }

    @Test
    void aConfigurationWithoutTokenActivatesWithTheStoredOne() {
        instance("support");
        chatwootService.configure(account, "support", new ConfigureChatwoot(CHATWOOT, "first-token"));

        chatwootService.configure(account, "support", new ConfigureChatwoot(CHATWOOT, null));

        assertThat(chatwoot.tokens).containsExactly("first-token", "first-token");
    }

    @Test
    void theChatwootTokenReachesTheStoreOnlySealed() {
        var id = instance("support");
        chatwootService.configure(account, "support", new ConfigureChatwoot(CHATWOOT, "clear-token"));
        var sealed = chatwootRows.rows.get(id).sealedApiToken();
        assertThat(new String(sealed, StandardCharsets.UTF_8)).isNotEqualTo("clear-token");
    }

    @Test
    void aBaseUrlNamingARefusedAddressIsA400AndNothingIsStored() {
        var id = instance("support");
        var loopback = new ChatwootConfig.Patch(true, "http://127.0.0.1:3000", 3L, "Support", null, null, null, null);

        assertThatThrownBy(() -> chatwootService.configure(account, "support", new ConfigureChatwoot(loopback, "tok")))
                .isInstanceOfSatisfying(ValidationException.class, e -> assertThat(e.violations())
                        .anySatisfy(v -> assertThat(v.field()).isEqualTo("base_url")))
                .hasMessageContaining("PONTE_EGRESS_ALLOW_PRIVATE");
        assertThat(chatwootRows.rows).doesNotContainKey(id);
        assertThat(chatwoot.tokens).as("Chatwoot is not called").isEmpty();
    }

    @Test
    void aDisabledChatwootIsStoredWithoutCallingChatwoot() {
        instance("support");
        var disabled = new ChatwootConfig.Patch(false, "https://cw.example", 3L, "Support", null, null, null, null);

        var state = chatwootService.configure(account, "support", new ConfigureChatwoot(disabled, "tok"));

        assertThat(state.status()).isEqualTo(IntegrationStatus.DISABLED);
        assertThat(chatwoot.tokens).isEmpty();
    }

    @Test
    void theFirstChatwootConfigurationNeedsAToken() {
        instance("support");
        assertThatThrownBy(() -> chatwootService.configure(account, "support", new ConfigureChatwoot(CHATWOOT, null)))
                .isInstanceOf(ValidationException.class);
    }

    @Test
    void aFailedBucketCheckIsStoredAsAnError() {
        instance("media");
        bucketAnswer = IntegrationStatus.error("bucket 'media' does not exist");

        var state = s3Service.configure(account, "media", new ConfigureS3(S3, "secret"));

        assertThat(state.status().state()).isEqualTo(IntegrationStatus.State.ERROR);
        assertThat(s3Service.find(account, "media").orElseThrow().status()).isEqualTo(state.status());
    }

    @Test
    void anS3ConfigurationWithoutSecretChecksWithTheStoredOne() {
        instance("media");
        s3Service.configure(account, "media", new ConfigureS3(S3, "the-secret"));

        s3Service.configure(account, "media", new ConfigureS3(S3, null));

        assertThat(checkedSecrets).containsExactly("the-secret", "the-secret");
    }

    @Test
    void aChatwootPutIsPartialLikeEveryConfigurationPut() {
        instance("support");
        chatwootService.configure(account, "support", new ConfigureChatwoot(new ChatwootConfig.Patch(true,
                "https://cw.example", 3L, "Support", true, true, null, null), "tok"));

        var state = chatwootService.configure(account, "support", new ConfigureChatwoot(
                new ChatwootConfig.Patch(null, null, null, "Sales", null, null, null, null), null));

        assertThat(state.config()).isEqualTo(new ChatwootConfig(true, "https://cw.example", 3, "Sales", true, true,
                false, false));
    }

    @Test
    void anS3PutIsPartialAndAnEmptyStringClearsAnOptionalField() {
        instance("media");
        s3Service.configure(account, "media", new ConfigureS3(new S3Config.Patch(true, "eu-west-1", "media", "AKIA",
                "http://minio:9000", "media/", null), "secret"));

        var state = s3Service.configure(account, "media", new ConfigureS3(
                new S3Config.Patch(null, null, "archive", null, null, "", null), null));

        assertThat(state.config()).isEqualTo(new S3Config(true, "eu-west-1", "archive", "AKIA", "http://minio:9000",
                "", true));
    }

    private UUID instance(String name) {
        var instance = Instance.create(UUID.randomUUID(), tenantId, new InstanceName(name), Map.of(), NOW).instance();
        instances.insert(instance);
        return instance.id();
    }

    private static final class Chatwoot implements ChatwootInboxPort {
        final List<String> tokens = new ArrayList<>();
        Activation answer = new Activation(IntegrationStatus.OK, 7L);

        @Override
        public Activation activate(UUID instanceId, ChatwootConfig config, String apiToken, String webhookSecret) {
            tokens.add(apiToken);
            return answer;
        }
    }

    private static final class ChatwootRows implements ChatwootStore {
        final Map<UUID, Stored> rows = new HashMap<>();

        @Override
        public Optional<Stored> find(UUID tenantId, UUID instanceId) {
            return Optional.ofNullable(rows.get(instanceId));
        }

        @Override
        public void save(UUID tenantId, UUID instanceId, Stored stored) {
            rows.put(instanceId, stored);
        }

        @Override
        public boolean delete(UUID tenantId, UUID instanceId) {
            return rows.remove(instanceId) != null;
        }
    }

    private static final class S3Rows implements S3Store {
        final Map<UUID, Stored> rows = new HashMap<>();

        @Override
        public Optional<Stored> find(UUID tenantId, UUID instanceId) {
            return Optional.ofNullable(rows.get(instanceId));
        }

        @Override
        public void save(UUID tenantId, UUID instanceId, Stored stored) {
            rows.put(instanceId, stored);
        }

        @Override
        public boolean delete(UUID tenantId, UUID instanceId) {
            return rows.remove(instanceId) != null;
        }
    }
}
