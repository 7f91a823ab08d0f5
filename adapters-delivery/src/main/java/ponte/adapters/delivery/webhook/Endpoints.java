package ponte.adapters.delivery.webhook;

import io.github.resilience4j.bulkhead.Bulkhead;
import io.github.resilience4j.bulkhead.BulkheadConfig;
import io.github.resilience4j.bulkhead.BulkheadRegistry;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import java.net.URI;
import java.time.Duration;

/**
 * Isolation between receivers: a circuit breaker per endpoint (URL) stops hammering a dead receiver, and a
 * concurrency cap per host keeps a slow one from holding every worker.
 */
public final class Endpoints {
    private final CircuitBreakerRegistry breakers;
    private final BulkheadRegistry bulkheads;
    private final Duration openFor;

    public Endpoints(Duration openFor, int minimumCalls, int perHost) {
        this.breakers = CircuitBreakerRegistry.of(CircuitBreakerConfig.custom()
                .slidingWindowType(CircuitBreakerConfig.SlidingWindowType.COUNT_BASED)
                .slidingWindowSize(Math.max(minimumCalls, 10))
                .minimumNumberOfCalls(minimumCalls)
                .failureRateThreshold(50)
                .waitDurationInOpenState(openFor)
                .permittedNumberOfCallsInHalfOpenState(1)
                .automaticTransitionFromOpenToHalfOpenEnabled(false)
                .build());
        this.openFor = openFor;
        this.bulkheads = BulkheadRegistry.of(BulkheadConfig.custom()
                .maxConcurrentCalls(perHost)
                .maxWaitDuration(Duration.ofSeconds(2))
                .build());
    }

    public CircuitBreaker breaker(String url) {
        return breakers.circuitBreaker(url);
    }

    /** How long an open circuit refuses calls: deliveries to it wait that long, without using an attempt. */
    public Duration openFor() {
        return openFor;
    }

    public Bulkhead host(String url) {
        var uri = URI.create(url);
        return bulkheads.bulkhead(uri.getScheme() + "://" + uri.getHost() + ":" + uri.getPort());
    }
}
