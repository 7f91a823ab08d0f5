package ponte.domain.integration;

import java.util.Locale;
import java.util.Objects;

/**
 * The outcome of the last check of an integration against the outside service: {@code ok}, {@code error} with a
 * reason a person can act on, or {@code disabled} when it is switched off and was not checked.
 */
public record IntegrationStatus(State state, String reason) {
    public static final IntegrationStatus OK = new IntegrationStatus(State.OK, null);
    public static final IntegrationStatus DISABLED = new IntegrationStatus(State.DISABLED, null);

    public IntegrationStatus {
        Objects.requireNonNull(state, "state");
        if ((state == State.ERROR) != (reason != null && !reason.isBlank())) {
            throw new IllegalArgumentException("exactly the error state carries a reason");
        }
    }

    public static IntegrationStatus error(String reason) {
        return new IntegrationStatus(State.ERROR, reason);
    }

    public enum State {
        OK, ERROR, DISABLED;

        public String wireName() {
            return name().toLowerCase(Locale.ROOT);
        }

        public static State fromWire(String value) {
            return valueOf(value.toUpperCase(Locale.ROOT));
        }
    }
}
