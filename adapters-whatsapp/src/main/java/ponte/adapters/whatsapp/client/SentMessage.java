package ponte.adapters.whatsapp.client;

import java.time.Instant;
import java.util.List;

/**
 * A message the server accepted ({@code <ack class=message>} without error): its id, the chat it went to (a user
 * JID without device), the server's timestamp ({@code t}, whole seconds), the device JIDs it was encrypted for (the
 * recipient's and our own other devices), how many sessions this send set up from fetched prekey bundles (0 when
 * every device already had one), and how many copies were {@code pkmsg}s: a session we started stays a
 * {@code pkmsg} session until the peer's first answer reaches us, as in libsignal, so this is not 0 merely because
 * the session was reused.
 */
public record SentMessage(String id, String chat, Instant timestamp, List<String> devices, int newSessions,
        int preKeyMessages) {

    public SentMessage {
        devices = List.copyOf(devices);
    }
}
