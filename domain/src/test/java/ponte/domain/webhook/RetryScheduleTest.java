package ponte.domain.webhook;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class RetryScheduleTest {
    private static final Instant START = Instant.parse("2026-01-01T00:00:00Z");
    private final RetrySchedule schedule = RetrySchedule.parse(RetrySchedule.DEFAULT_TEXT, Duration.ofHours(24));

    @Test
    void theDefaultScheduleWaitsTenSecondsAfterTheFirstFailure() {
        assertThat(schedule.first()).isZero();
        assertThat(schedule.next(1, START, START, 0.5)).contains(START.plusSeconds(10));
    }

    @Test
    void jitterStaysWithinTwentyPercent() {
        assertThat(schedule.next(2, START, START, 0.0)).contains(START.plusSeconds(48));
        assertThat(schedule.next(2, START, START, 0.999999)).hasValueSatisfying(at ->
                assertThat(at).isBefore(START.plusSeconds(73)).isAfter(START.plusSeconds(71)));
    }

    @Test
    void theDefaultScheduleKeepsTryingForAtLeastADayThenGivesUp() {
        var now = START;
        int attempts = 1;
        var next = schedule.next(attempts, START, now, 0.0);
        while (next.isPresent()) {
            now = next.get();
            attempts++;
            next = schedule.next(attempts, START, now, 0.0);
        }
        assertThat(Duration.between(START, now)).isGreaterThanOrEqualTo(Duration.ofHours(24));
        assertThat(attempts).isEqualTo(9);
    }

    @Test
    void withoutAMinimumWindowTheDeliveryDiesAfterTheLastListedAttempt() {
        var short_ = RetrySchedule.parse("0s,100ms,200ms", Duration.ZERO);
        assertThat(short_.next(2, START, START, 0.5)).contains(START.plusMillis(200));
        assertThat(short_.next(3, START, START, 0.5)).isEmpty();
    }

    @Test
    void anUnreadableScheduleIsRefused() {
        assertThatThrownBy(() -> RetrySchedule.parse("0s,ten seconds", Duration.ZERO))
                .hasMessageContaining("ten seconds");
    }
}
