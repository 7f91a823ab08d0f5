package ponte.adapters.http.dto;

import java.time.Instant;
import java.util.List;
import java.util.UUID;
import ponte.adapters.http.openapi.Doc;
import ponte.adapters.http.openapi.Example;
import ponte.adapters.http.openapi.Nullable;

/** Bodies of the session lifecycle routes: connect, QR, pairing code, disconnect, logout, restart, devices. */
public final class SessionDtos {
    private SessionDtos() {}

    public record Qr(@Doc("The QR code as a PNG data URI, ready for an <img src>") String image,
                     @Doc("The text the QR code encodes, to render with your own QR library") String raw,
                     @Doc("When WhatsApp replaces it; a new one arrives on /qr/stream") @Nullable Instant expiresAt) {}

    public record Session(boolean success, String status,
                          @Doc("Why the instance is disconnected; null otherwise") @Nullable String statusReason,
                          @Doc("Present while the instance waits for a scan; null otherwise") @Nullable Qr qr) {}

    public record PairCodeRequest(@Doc("International number, digits only or with a leading '+'")
                                  @Example("5511987650001") String phoneNumber) {}

    public record PairCode(boolean success,
                           @Doc("Type it on the phone: Linked devices → Link with phone number") String pairingCode,
                           @Nullable Instant expiresAt) {}

    public record Device(UUID instanceId, String name, String status, @Nullable String phoneNumber,
                         @Nullable String platform, @Nullable Instant lastActiveAt) {}

    public record Devices(boolean success, List<Device> devices) {}
}
