package ponte.domain.proxy;

import java.util.Objects;

/**
 * A validated proxy endpoint. The password is held in clear only in memory, for the engine that dials; everything
 * shown to people goes through {@link #maskedUrl()}, and {@link #toString()} masks too so a stray log line cannot
 * leak it.
 */
public record Proxy(ProxyProtocol protocol, String host, int port, String username, String password) {
    public Proxy {
        Objects.requireNonNull(protocol, "protocol");
        Objects.requireNonNull(host, "host");
        if (port < 1 || port > 65_535) {
            throw new IllegalArgumentException("port out of range: " + port);
        }
        if (password != null && username == null) {
            throw new IllegalArgumentException("a proxy password needs a username");
        }
    }

    public boolean hasPassword() {
        return password != null;
    }

    /** {@code socks5://user:***@host:1080}: what every response shows. */
    public String maskedUrl() {
        var userInfo = username == null ? "" : ProxyUrls.encode(username) + (password == null ? "" : ":***") + "@";
        return protocol.wireName() + "://" + userInfo + ProxyUrls.hostForUrl(host) + ":" + port;
    }

    @Override
    public String toString() {
        return maskedUrl();
    }
}
