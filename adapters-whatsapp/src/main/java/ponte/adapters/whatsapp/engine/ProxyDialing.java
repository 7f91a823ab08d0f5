package ponte.adapters.whatsapp.engine;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import ponte.adapters.whatsapp.socket.ProxyCredentials;
import ponte.adapters.whatsapp.socket.SocketOpener;
import ponte.domain.proxy.EffectiveProxy;
import ponte.domain.proxy.Proxy;

/**
 * Turns an instance's effective proxy into the opener its connection dials with, and remembers whether the last
 * dial failed at the proxy: that is what tells a {@code proxy_error} from a plain network drop. Whoever needs the
 * verdict of the next dial (a live connection through the proxy just dropped: was it the proxy?) listens for it.
 */
final class ProxyDialing {
    /** What one dial found. */
    enum Outcome { REACHED, FAILED_AT_PROXY, FAILED }

    private final SocketOpener opener;
    private final boolean throughProxy;
    private final AtomicBoolean lastDialFailedAtProxy = new AtomicBoolean();
    private volatile Consumer<Outcome> onDial = outcome -> { };

    private ProxyDialing(SocketOpener opener, boolean throughProxy) {
        this.opener = opener;
        this.throughProxy = throughProxy;
    }

    static ProxyDialing of(EffectiveProxy effective) {
        return effective.proxy().map(proxy -> new ProxyDialing(through(proxy), true))
                .orElseGet(() -> new ProxyDialing(SocketOpener.direct(), false));
    }

    /** The opener to dial with; every dial through a proxy updates {@link #lastDialFailedAtProxy()}. */
    SocketOpener opener() {
        return (host, port, timeout) -> {
            try {
                var socket = opener.open(host, port, timeout);
                lastDialFailedAtProxy.set(false);
                onDial.accept(Outcome.REACHED);
                return socket;
            } catch (IOException e) {
                lastDialFailedAtProxy.set(throughProxy);
                onDial.accept(throughProxy ? Outcome.FAILED_AT_PROXY : Outcome.FAILED);
                throw e;
            }
        };
    }

    /**
     * The opener of the media hosts' connections: through the same proxy, but a media dial says nothing about the
     * chat socket, so it leaves {@link #lastDialFailedAtProxy()} and the dial listener alone.
     */
    SocketOpener mediaOpener() {
        return opener;
    }

    boolean lastDialFailedAtProxy() {
        return lastDialFailedAtProxy.get();
    }

    boolean throughProxy() {
        return throughProxy;
    }

    /** Tells {@code listener} the outcome of every dial from now on, on the dialling thread. */
    void onDial(Consumer<Outcome> listener) {
        this.onDial = listener;
    }

    private static SocketOpener through(Proxy proxy) {
        var address = new InetSocketAddress(proxy.host(), proxy.port());
        Optional<ProxyCredentials> credentials = Optional.ofNullable(proxy.username())
                .map(user -> new ProxyCredentials(user, proxy.password() == null ? "" : proxy.password()));
        return switch (proxy.protocol()) {
            case HTTP -> SocketOpener.httpProxy(address, credentials);
            case HTTPS -> SocketOpener.httpsProxy(address, credentials);
            case SOCKS5 -> SocketOpener.socks5(address, credentials);
        };
    }
}
