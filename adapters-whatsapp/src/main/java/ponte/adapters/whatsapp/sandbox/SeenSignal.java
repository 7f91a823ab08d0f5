package ponte.adapters.whatsapp.sandbox;

import java.time.Instant;

/**
 * A call signal or chat state a virtual phone's primary device was sent: {@code kind} {@code call} (then
 * {@code type} is the wire's child, {@code offer}, {@code accept}, {@code reject} or {@code terminate}, and
 * {@code callId} names the call) or {@code chatstate} ({@code type} {@code composing}, {@code recording} or
 * {@code paused}); {@code from} the sending account's JID (with device for calls), {@code at} when it arrived.
 */
public record SeenSignal(String kind, String type, String callId, String from, Instant at) {
}
