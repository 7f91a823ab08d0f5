package ponte.adapters.whatsapp.socket;

import java.net.URI;
import java.time.Duration;

/**
 * Where and how to open the chat socket; the defaults are WhatsApp's own (whatsmeow socket/constants.go).
 *
 * @param opener      dials the chat socket's TCP connection (direct, or through the instance's proxy)
 * @param mediaOpener dials the media hosts' connections: the same way out as {@code opener}, without the chat
 *                    socket's bookkeeping of whether its proxy failed
 */
public record SocketSettings(URI url, String origin, TrustRoot trustRoot, SocketOpener opener, Duration timeout,
                             SocketOpener mediaOpener) {

    /** Settings whose media connections are dialled by {@code opener} too. */
    public SocketSettings(URI url, String origin, TrustRoot trustRoot, SocketOpener opener, Duration timeout) {
        this(url, origin, trustRoot, opener, timeout, opener);
    }

    public static final URI WHATSAPP_URL = URI.create("wss://web.whatsapp.com/ws/chat");
    public static final String WHATSAPP_ORIGIN = "https://web.whatsapp.com";

    public static SocketSettings whatsapp() {
        return new SocketSettings(WHATSAPP_URL, WHATSAPP_ORIGIN, TrustRoot.WHATSAPP, SocketOpener.direct(),
                Duration.ofSeconds(20));
    }

    public SocketSettings withEndpoint(URI newUrl, TrustRoot newRoot) {
        return new SocketSettings(newUrl, origin, newRoot, opener, timeout, mediaOpener);
    }

    /**
     * Dials the chat socket and the media hosts through {@code newOpener}, e.g. {@link SocketOpener#socks5} for an
     * instance behind a proxy.
     */
    public SocketSettings withOpener(SocketOpener newOpener) {
        return new SocketSettings(url, origin, trustRoot, newOpener, timeout, newOpener);
    }

    /** Dials the media hosts through {@code newOpener}, the chat socket as before. */
    public SocketSettings withMediaOpener(SocketOpener newOpener) {
        return new SocketSettings(url, origin, trustRoot, opener, timeout, newOpener);
    }
}
