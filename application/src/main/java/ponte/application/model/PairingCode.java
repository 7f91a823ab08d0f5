package ponte.application.model;

import java.time.Instant;

/** A code to type on the phone instead of scanning a QR code ({@code XXXX-XXXX}), and when it expires. */
public record PairingCode(String code, Instant expiresAt) {}
