package ponte.domain.archfixture;

import java.time.Instant;
import java.util.Random;

/** Breaks the domain's rules on purpose, so the architecture test can show its rules fire. */
public final class ClockReadingPolicy {
    private ClockReadingPolicy() {}

    public static boolean expired(Instant deadline) {
        return Instant.now().isAfter(deadline) && new Random().nextBoolean();
    }

    public static String framework() {
        return io.javalin.Javalin.class.getName();
    }
}
