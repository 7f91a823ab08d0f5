package ponte.application.model;

import java.util.Optional;
import ponte.domain.message.Jid;

/**
 * One answer of {@code POST /contacts/check}: the number as given, whether it is on WhatsApp, and the JID and LID the
 * server knows it by.
 */
public record ContactCheck(String input, boolean exists, Optional<Jid> jid, Optional<Jid> lid) {}
