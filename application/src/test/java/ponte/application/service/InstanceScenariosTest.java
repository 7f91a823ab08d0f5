package ponte.application.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import ponte.application.error.ConflictException;
import ponte.application.error.QuotaExceededException;
import ponte.application.model.Page;
import ponte.application.model.PageRequest;
import ponte.application.port.in.ConfigureWebhooksUseCase.WebhookCommand;
import ponte.application.port.in.InstancesUseCase.CreateInstanceCommand;
import ponte.application.port.out.SessionControlPort;
import ponte.application.port.out.TenantStore;
import ponte.application.port.out.TokenStore;
import ponte.domain.auth.Principal;
import ponte.domain.auth.TokenKind;
import ponte.domain.event.EventEnvelope;
import ponte.domain.event.EventFilter;
import ponte.domain.instance.InstanceName;
import ponte.domain.proxy.EffectiveProxy;
import ponte.domain.tenant.Tenant;
import ponte.domain.webhook.RetrySchedule;
import ponte.domain.egress.EgressPolicy;
import ponte.domain.webhook.WebhookLabel;

/**
 * Instances from creation to deletion over in-memory stores: the creation's setup is in place before the instance
 * is announced, a failing setup leaves it created, the tenant's quota holds, and a delete revokes and discards.
 */
class InstanceScenariosTest {
    private static final Instant T0 = Instant.parse("2026-11-21T10:00:00Z");
    private static final RetrySchedule SCHEDULE = new RetrySchedule(List.of(Duration.ZERO), Duration.ZERO);

    private final Clock clock = Clock.fixed(T0, ZoneOffset.UTC);
    private final AtomicLong sequence = new AtomicLong();
    private final InMemoryPorts.Instances instances = new InMemoryPorts.Instances();
    private final InMemoryOutbox outbox = new InMemoryOutbox();
    private final Tenants tenants = new Tenants();
    private final Tokens tokens = new Tokens();
    private final List<UUID> discarded = new ArrayList<>();
    private final List<EventEnvelope> published = new ArrayList<>();
    private final InMemoryPorts.DirectTransactions transactions = new InMemoryPorts.DirectTransactions();
    private final EventIngestService ingest = new EventIngestService(instances, instances, outbox, outbox,
            (event, queued) -> published.add(event), transactions, this::newId, SCHEDULE, clock);
    private final InstanceService service = new InstanceService(instances, tenants, tokens, transactions,
            this::newId, (prefix, bytes) -> prefix + "token-" + sequence.incrementAndGet(), ingest, new Engine(),
            clock);
    private final WebhookService webhooks = new WebhookService(outbox, outbox, new InstanceAccess(instances),
            transactions, this::newId, (prefix, bytes) -> prefix + "secret", new InMemoryPorts.ReversingCipher(),
            EgressPolicy.STRICT, clock);

    private final Tenant tenant = tenants.add(new Tenant(UUID.randomUUID(), "acme", 2, T0));
    private final Principal account = new Principal(TokenKind.ACCOUNT, UUID.randomUUID(), tenant.id(), null);

    @Test
    void theCreatedEventIsAnnouncedAfterTheSetupSoTheWebhookItSubscribedHearsIt() {
        var announcedDuringSetup = new ArrayList<Integer>();

        var created = service.create(account, command("support"), instance -> {
            webhooks.create(account, instance.id().toString(), new WebhookCommand(new WebhookLabel("default"),
                    "https://crm.example/hook", null, EventFilter.parse("events", List.of("instance.state")),
                    null, null, null, null, null));
            announcedDuringSetup.add(published.size());
        });

        assertThat(announcedDuringSetup).containsExactly(0);
        assertThat(published).singleElement().satisfies(event ->
                assertThat(event.data()).containsEntry("type", "created").containsEntry("status", "pending"));
        assertThat(outbox.rows()).singleElement().satisfies(row -> {
            assertThat(row.label).isEqualTo("default");
            assertThat(row.event.instanceId()).isEqualTo(created.instance().id());
        });
        assertThat(created.token()).startsWith("pti_");
    }

    @Test
    void aFailingSetupLeavesTheInstanceCreatedAndAnnounced() {
        var created = service.create(account, command("sturdy"), instance -> {
            throw new IllegalStateException("a block broke");
        });

        assertThat(service.get(account, "sturdy").id()).isEqualTo(created.instance().id());
        assertThat(published).hasSize(1);
    }

    @Test
    void theQuotaAndTheNameHoldAndADeleteFreesBoth() {
        service.create(account, command("one"), instance -> { });
        assertThatThrownBy(() -> service.create(account, command("one"), instance -> { }))
                .isInstanceOf(ConflictException.class);
        var two = service.create(account, command("two"), instance -> { });
        assertThatThrownBy(() -> service.create(account, command("three"), instance -> { }))
                .isInstanceOf(QuotaExceededException.class);

        service.delete(account, "two");

        assertThat(tokens.revokedInstances).containsExactly(two.instance().id());
        assertThat(discarded).containsExactly(two.instance().id());
        assertThat(published).extracting(e -> e.data().get("type")).containsExactly("created", "created", "deleted");
        assertThat(service.create(account, command("two"), instance -> { }).instance().name().value())
                .isEqualTo("two");
    }

    private static CreateInstanceCommand command(String name) {
        return new CreateInstanceCommand(new InstanceName(name), null, Map.of());
    }

    private UUID newId() {
        return new UUID(sequence.incrementAndGet(), 1);
    }

    private static final class Tenants implements TenantStore {
        final Map<UUID, Tenant> byId = new HashMap<>();

        Tenant add(Tenant tenant) {
            byId.put(tenant.id(), tenant);
            return tenant;
        }

        @Override
        public void insert(Tenant tenant) {
            add(tenant);
        }

        @Override
        public Optional<Tenant> find(UUID id) {
            return Optional.ofNullable(byId.get(id));
        }

        @Override
        public Optional<Tenant> lock(UUID id) {
            return find(id);
        }

        @Override
        public Page<Tenant> list(PageRequest page) {
            return new Page<>(List.copyOf(byId.values()), null);
        }

        @Override
        public void softDelete(UUID id, Instant at) {
            byId.remove(id);
        }
    }

    private static final class Tokens implements TokenStore {
        final List<byte[]> hashes = new ArrayList<>();
        final List<UUID> revokedInstances = new ArrayList<>();

        @Override
        public void insert(UUID id, Principal owner, byte[] tokenHash, Instant createdAt, String displayPrefix,
                           String label) {
            hashes.add(tokenHash);
        }

        @Override
        public List<ponte.application.model.AccountToken> liveAccountTokens(UUID tenantId) {
            return List.of();
        }

        @Override
        public boolean revokeAccountToken(UUID tenantId, UUID tokenId, Instant at) {
            return false;
        }

        @Override
        public void recordUse(UUID tokenId, Instant at) {
        }

        @Override
        public Optional<Principal> findLive(byte[] tokenHash) {
            return Optional.empty();
        }

        @Override
        public boolean isTaken(byte[] tokenHash) {
            return hashes.stream().anyMatch(h -> Arrays.equals(h, tokenHash));
        }

        @Override
        public void revokeForInstance(UUID instanceId, Instant at) {
            revokedInstances.add(instanceId);
        }

        @Override
        public void revokeForTenant(UUID tenantId, Instant at) {
        }
    }

    private final class Engine implements SessionControlPort {
        @Override
        public void start(UUID instanceId, EffectiveProxy proxy) {
        }

        @Override
        public void stop(UUID instanceId) {
        }

        @Override
        public void logout(UUID instanceId, EffectiveProxy proxy) {
        }

        @Override
        public void release(UUID instanceId) {
        }

        @Override
        public void discard(UUID instanceId) {
            discarded.add(instanceId);
        }

        @Override
        public SessionControlPort.PairingCode requestPairingCode(UUID instanceId, String phoneNumber, Duration wait,
                                                                 EffectiveProxy proxy) {
            throw new UnsupportedOperationException();
        }
    }
}
