package ponte.application.model;

import java.time.Instant;

/**
 * A receipt a sandbox phone saw for one of its messages: the message id, the device JID that sent the receipt, its
 * kind ({@code delivered}, {@code read}, {@code played}, or the wire's receipt type for any other) and when.
 */
public record SandboxReceipt(String messageId, String from, String type, Instant at) {}
