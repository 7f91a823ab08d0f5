package ponte.application.port.out;

import java.time.Duration;
import java.time.Instant;
import java.util.UUID;

/**
 * The stanzas of an instance whose events were stored, by WhatsApp's stanza id, so that one WhatsApp delivers again
 * (its acknowledgement was lost, or the gateway stopped between storing and acknowledging) is stored once. Ids are
 * kept for {@link #KEPT}: far longer than WhatsApp keeps redelivering an unacknowledged stanza. Calls join the
 * caller's transaction.
 */
public interface InboundStanzas {

    /** How long a stanza id is remembered. */
    Duration KEPT = Duration.ofDays(7);

    /**
     * Records that the instance handled stanza {@code stanzaId} at {@code at}; false when it already had (nothing
     * recorded), true the first time. Forgets the instance's ids older than {@link #KEPT} before {@code at}.
     */
    boolean firstTime(UUID instanceId, String stanzaId, Instant at);
}
