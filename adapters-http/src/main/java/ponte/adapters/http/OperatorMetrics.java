package ponte.adapters.http;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.ToDoubleFunction;
import ponte.application.port.in.GatewayStatsQueries;
import ponte.application.port.in.GatewayStatsQueries.GatewayStats;
import ponte.application.port.out.GatewayMetrics;
import ponte.domain.instance.InstanceStatus;

/**
 * The operator's gateway metrics on the Prometheus registry that {@code /metrics} serves:
 * <ul>
 *   <li>{@code ponte_pairing_outcomes_total{outcome}}: QR codes shown, instances paired, QR sequences timed out,
 *   pairing codes rejected, counted by the core as it decides them;</li>
 *   <li>{@code ponte_webhook_deliveries_seconds{outcome}}: every POST to a webhook by what it meant (succeeded,
 *   retry, failed) with the receiver's answer time (count, sum and histogram buckets, in seconds);</li>
 *   <li>{@code ponte_sessions{status}}: live instances per status, across every tenant and node;</li>
 *   <li>{@code ponte_webhook_backlog} (pending deliveries) and {@code ponte_webhook_oldest_pending_age_seconds};</li>
 *   <li>{@code ponte_leases_total{outcome}}: leases this node took, lost (expired or taken over before it could
 *   renew them) and handed over (balance, graceful stop, a session that ended);</li>
 *   <li>{@code ponte_node_sessions}: the sessions (valid leases) this node holds; every node reports its own, and
 *   {@code GET /v1/nodes} shows them all.</li>
 * </ul>
 * The gauges read the stores through the core at scrape time, once per second at most however many gauges ask.
 */
public final class OperatorMetrics implements GatewayMetrics {
    private static final Duration FRESH_FOR = Duration.ofSeconds(1);

    private final MeterRegistry registry;
    private final Map<PairingOutcome, Counter> pairings = new EnumMap<>(PairingOutcome.class);
    private final Map<DeliveryOutcome, Timer> deliveries = new EnumMap<>(DeliveryOutcome.class);
    private final AtomicReference<Snapshot> last = new AtomicReference<>();
    private final Map<LeaseOutcome, Counter> leases = new EnumMap<>(LeaseOutcome.class);
    private final java.util.concurrent.atomic.AtomicInteger sessionsHeld = new java.util.concurrent.atomic.AtomicInteger();

    public OperatorMetrics(MeterRegistry registry) {
        this.registry = registry;
        for (var outcome : PairingOutcome.values()) {
            pairings.put(outcome, Counter.builder("ponte.pairing.outcomes")
                    .description("Pairing steps by outcome: qr_shown, paired, qr_timeout, code_rejected")
                    .tag("outcome", outcome.wireName()).register(registry));
        }
        for (var outcome : DeliveryOutcome.values()) {
            deliveries.put(outcome, Timer.builder("ponte.webhook.deliveries")
                    .description("Webhook POSTs by outcome (succeeded, retry, failed) and the receiver's answer time")
                    .tag("outcome", outcome.wireName()).publishPercentileHistogram().register(registry));
        }
        for (var outcome : LeaseOutcome.values()) {
            leases.put(outcome, Counter.builder("ponte.leases")
                    .description("Instance leases of this node by outcome: taken, lost, handed_over")
                    .tag("outcome", outcome.wireName()).register(registry));
        }
        Gauge.builder("ponte.node.sessions", sessionsHeld, java.util.concurrent.atomic.AtomicInteger::get)
                .description("Sessions (valid instance leases) this gateway node holds").register(registry);
    }

    @Override
    public void leases(LeaseOutcome outcome, int count) {
        leases.get(outcome).increment(count);
    }

    @Override
    public void sessionsHeld(int count) {
        sessionsHeld.set(count);
    }

    @Override
    public void pairing(PairingOutcome outcome) {
        pairings.get(outcome).increment();
    }

    @Override
    public void deliveryAttempt(DeliveryOutcome outcome, Duration latency) {
        deliveries.get(outcome).record(latency);
    }

    /** Registers the gauges that read the core's counts; call once, when the core is built. */
    public void readGauges(GatewayStatsQueries stats) {
        for (var status : InstanceStatus.values()) {
            gauge("ponte.sessions", "Live instances by status, across every tenant", stats,
                    s -> s.sessionsByStatus().getOrDefault(status.wireName(), 0L), "status", status.wireName());
        }
        gauge("ponte.webhook.backlog", "Webhook deliveries pending (due or waiting for a retry)", stats,
                GatewayStats::pendingDeliveries);
        Gauge.builder("ponte.webhook.oldest.pending.age", stats, q -> fresh(q).oldestPendingAge().toMillis() / 1000.0)
                .description("How long the oldest pending webhook delivery has waited").baseUnit("seconds")
                .register(registry);
    }

    private void gauge(String name, String description, GatewayStatsQueries stats,
                       ToDoubleFunction<GatewayStats> read, String... tags) {
        Gauge.builder(name, stats, q -> read.applyAsDouble(fresh(q))).description(description).tags(tags)
                .register(registry);
    }

    private GatewayStats fresh(GatewayStatsQueries stats) {
        var now = System.nanoTime();
        var snapshot = last.get();
        if (snapshot == null || now - snapshot.readAt() > FRESH_FOR.toNanos()) {
            snapshot = new Snapshot(stats.stats(), now);
            last.set(snapshot);
        }
        return snapshot.stats();
    }

    private record Snapshot(GatewayStats stats, long readAt) {}
}
