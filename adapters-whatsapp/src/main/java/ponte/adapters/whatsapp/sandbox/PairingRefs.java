package ponte.adapters.whatsapp.sandbox;

import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;

/**
 * The QR refs the server hands a registering companion. WhatsApp shows the first for 60 seconds and each later
 * one for 20 (whatsmeow qrchan.go, Baileys qrTimeout); after the last the server hangs up.
 */
record PairingRefs(List<String> refs, Instant issuedAt, Duration firstLifetime, Duration laterLifetime) {

    static final int COUNT = 6;
    static final Duration FIRST = Duration.ofSeconds(60);
    static final Duration LATER = Duration.ofSeconds(20);

    PairingRefs {
        refs = List.copyOf(refs);
    }

    static PairingRefs issue(SecureRandom random, Instant now, Duration first, Duration later) {
        List<String> refs = new ArrayList<>();
        for (int i = 0; i < COUNT; i++) {
            byte[] secret = new byte[45];
            random.nextBytes(secret);
            refs.add("2@" + Base64.getEncoder().encodeToString(secret));
        }
        return new PairingRefs(refs, now, first, later);
    }

    /** The ref a phone may scan at {@code at}, or empty once they have all expired. */
    Optional<String> activeAt(Instant at) {
        Duration elapsed = Duration.between(issuedAt, at);
        if (elapsed.isNegative()) {
            return Optional.empty();
        }
        if (elapsed.compareTo(firstLifetime) < 0) {
            return Optional.of(refs.getFirst());
        }
        long index = 1 + elapsed.minus(firstLifetime).toMillis() / laterLifetime.toMillis();
        return index < refs.size() ? Optional.of(refs.get((int) index)) : Optional.empty();
    }

    Instant expiresAt() {
        return issuedAt.plus(firstLifetime).plus(laterLifetime.multipliedBy(refs.size() - 1L));
    }
}
