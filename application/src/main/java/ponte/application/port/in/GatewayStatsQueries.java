package ponte.application.port.in;

import java.time.Duration;
import java.util.Map;

/** What the operator's metrics read at each scrape: sessions by status and the webhook backlog. */
public interface GatewayStatsQueries {
    GatewayStats stats();

    /**
     * @param sessionsByStatus live instances per status wire name ({@code pending}, {@code qr}, {@code connected}...),
     *                         every status present, zero when none has it
     * @param pendingDeliveries webhook deliveries not yet succeeded nor failed
     * @param oldestPendingAge how long the oldest pending delivery has waited; zero when none is pending
     */
    record GatewayStats(Map<String, Long> sessionsByStatus, long pendingDeliveries, Duration oldestPendingAge) {}
}
