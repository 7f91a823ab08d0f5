package ponte.application.service;

import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import ponte.application.port.in.GatewayStatsQueries;
import ponte.application.port.out.GatewayStatsStore;
import ponte.domain.instance.InstanceStatus;

/** Reads the operator's gauges from the stores; every status is reported, so a series drops to zero, not away. */
final class GatewayStatsService implements GatewayStatsQueries {
    private final GatewayStatsStore store;
    private final Clock clock;

    GatewayStatsService(GatewayStatsStore store, Clock clock) {
        this.store = store;
        this.clock = clock;
    }

    @Override
    public GatewayStats stats() {
        var counted = store.instancesByStatus();
        var sessions = new LinkedHashMap<String, Long>();
        for (var status : InstanceStatus.values()) {
            sessions.put(status.wireName(), counted.getOrDefault(status, 0L));
        }
        var backlog = store.deliveryBacklog();
        var now = clock.instant();
        var age = backlog.oldestCreatedAt().map(oldest -> Duration.between(oldest, now))
                .filter(d -> !d.isNegative()).orElse(Duration.ZERO);
        return new GatewayStats(sessions, backlog.pending(), age);
    }
}
