package ponte.application.model;

import java.time.Instant;

/** The QR code an instance shows now: its text (what a phone scans) and when it stops being valid. */
public record CurrentQr(String qr, Instant expiresAt) {}
