package ponte.domain.webhook;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * When a failing delivery is tried again. {@code delays[k]} is the wait before attempt k+1 (the first is normally
 * 0s). After the last listed attempt the last delay repeats until {@code minimumWindow} has passed since the first
 * attempt, so the default schedule keeps trying for at least 24 h; then the delivery is dead-lettered. Each wait
 * gets up to ±{@code JITTER} so that a receiver coming back is not hit by every retry at once.
 */
public record RetrySchedule(List<Duration> delays, Duration minimumWindow) {
    public static final String DEFAULT_TEXT = "0s,10s,1m,5m,30m,2h,6h,12h";
    public static final double JITTER = 0.2;
    private static final Pattern ITEM = Pattern.compile("(\\d+)(ms|s|m|h|d)");

    public RetrySchedule {
        delays = List.copyOf(delays);
        if (delays.isEmpty()) {
            throw new IllegalArgumentException("a retry schedule needs at least one attempt");
        }
    }

    /** Parses {@code 0s,10s,1m,...}; units ms, s, m, h, d. */
    public static RetrySchedule parse(String text, Duration minimumWindow) {
        var delays = new ArrayList<Duration>();
        for (var raw : text.split(",")) {
            var matcher = ITEM.matcher(raw.strip());
            if (!matcher.matches()) {
                throw new IllegalArgumentException("'" + raw.strip() + "' is not a delay like 10s, 5m or 2h");
            }
            long amount = Long.parseLong(matcher.group(1));
            delays.add(switch (matcher.group(2)) {
                case "ms" -> Duration.ofMillis(amount);
                case "s" -> Duration.ofSeconds(amount);
                case "m" -> Duration.ofMinutes(amount);
                case "h" -> Duration.ofHours(amount);
                default -> Duration.ofDays(amount);
            });
        }
        return new RetrySchedule(delays, minimumWindow);
    }

    /** The delay before the first attempt. */
    public Duration first() {
        return delays.getFirst();
    }

    /**
     * After {@code attemptsMade} failed attempts of a round that started at {@code roundStart}: when to try next,
     * or empty when the delivery is dead. {@code random} in [0, 1) picks the jitter.
     */
    public Optional<Instant> next(int attemptsMade, Instant roundStart, Instant now, double random) {
        Duration delay;
        if (attemptsMade < delays.size()) {
            delay = delays.get(attemptsMade);
        } else if (Duration.between(roundStart, now).compareTo(minimumWindow) < 0) {
            delay = delays.getLast();
        } else {
            return Optional.empty();
        }
        long millis = delay.toMillis();
        long jittered = Math.round(millis * (1 + JITTER * (2 * random - 1)));
        return Optional.of(now.plusMillis(Math.max(0, jittered)));
    }
}
