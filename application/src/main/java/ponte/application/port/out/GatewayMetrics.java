package ponte.application.port.out;

import java.time.Duration;

/**
 * Counts the outcomes the core decides, for the operator's metrics: a pairing step's result and each webhook
 * delivery attempt. Called after the outcome is stored; an implementation must be cheap and must never throw.
 */
public interface GatewayMetrics {
    /** Nothing is counted: for wiring without metrics (tests of the core). */
    GatewayMetrics NONE = new GatewayMetrics() {
        @Override
        public void pairing(PairingOutcome outcome) {}

        @Override
        public void deliveryAttempt(DeliveryOutcome outcome, Duration latency) {}
    };

    void pairing(PairingOutcome outcome);

    /** One POST to a webhook and what it meant for the delivery; {@code latency} is the receiver's answer time. */
    void deliveryAttempt(DeliveryOutcome outcome, Duration latency);

    /** {@code count} leases changed hands on this node ({@link LeaseOutcome}); by default nothing is counted. */
    default void leases(LeaseOutcome outcome, int count) {}

    /** How many sessions (valid leases) this node holds now; by default nothing is recorded. */
    default void sessionsHeld(int count) {}

    /** What happened to a lease on this node. */
    enum LeaseOutcome {
        /** Taken: free, released by another node, or expired. */
        TAKEN,
        /** Lost: it expired or moved before this node could renew it; its session was stopped. */
        LOST,
        /** Given up on purpose (balance, graceful stop, the session ended), for another node to take. */
        HANDED_OVER;

        public String wireName() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    /** What became of a pairing attempt at one step. */
    enum PairingOutcome {
        /** A QR code was shown (each code of the sequence counts). */
        QR_SHOWN,
        /** The phone linked the instance: it reached {@code connected} for the first time. */
        PAIRED,
        /** Every QR code expired unscanned. */
        QR_TIMEOUT,
        /** The phone refused the pairing code: a new one is needed. */
        CODE_REJECTED;

        public String wireName() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    /** What one attempt meant for its delivery. */
    enum DeliveryOutcome {
        /** The receiver answered 2xx: delivered. */
        SUCCEEDED,
        /** It failed and another attempt is scheduled. */
        RETRY,
        /** It failed and the retry schedule is spent: dead-lettered. */
        FAILED;

        public String wireName() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }
}
