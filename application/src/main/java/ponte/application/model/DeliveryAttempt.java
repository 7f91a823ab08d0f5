package ponte.application.model;

import java.time.Instant;

/** One POST of a delivery: when, the receiver's status code (null when it did not answer), the error, its duration. */
public record DeliveryAttempt(Instant at, Integer statusCode, String error, long durationMs) {}
