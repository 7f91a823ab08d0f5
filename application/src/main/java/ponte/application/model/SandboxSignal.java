package ponte.application.model;

import java.time.Instant;

/**
 * A call signal or chat state a sandbox phone was sent: {@code kind} {@code call} ({@code type} offer, accept,
 * reject or terminate, for the call {@code callId}) or {@code chatstate} ({@code type} composing, recording or
 * paused, {@code callId} null); {@code from} the sender's JID; {@code at} when it arrived.
 */
public record SandboxSignal(String kind, String type, String callId, String from, Instant at) {
}
