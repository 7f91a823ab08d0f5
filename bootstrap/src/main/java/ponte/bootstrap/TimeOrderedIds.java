package ponte.bootstrap;

import java.security.SecureRandom;
import java.time.Clock;
import java.util.UUID;
import ponte.application.port.out.IdGenerator;

/**
 * UUIDv7 (RFC 9562): 48 bits of Unix milliseconds, then a 12-bit counter that keeps ids minted in the same
 * millisecond in order, then 62 random bits. Ids therefore sort by creation, which listings and cursors rely on.
 */
final class TimeOrderedIds implements IdGenerator {
    private final Clock clock;
    private final SecureRandom random;
    private long lastMillis = -1;
    private int counter;

    TimeOrderedIds(Clock clock, SecureRandom random) {
        this.clock = clock;
        this.random = random;
    }

    @Override
    public synchronized UUID newId() {
        long millis = clock.millis();
        if (millis > lastMillis) {
            lastMillis = millis;
            counter = random.nextInt(1 << 11);
        } else if (++counter >= 1 << 12) {
            lastMillis++;
            counter = 0;
        }
        long high = (lastMillis << 16) | 0x7000L | counter;
        long low = (random.nextLong() & 0x3FFF_FFFF_FFFF_FFFFL) | 0x8000_0000_0000_0000L;
        return new UUID(high, low);
    }
}
