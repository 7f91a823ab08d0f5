package ponte.domain.proxy;

/** A proxy as a person writes it: a whole {@code proxy_url}, or its parts. Not yet validated. */
public record ProxyInput(String proxyUrl, String protocol, String host, Integer port, String username,
                         String password) {
    public static ProxyInput ofUrl(String proxyUrl) {
        return new ProxyInput(proxyUrl, null, null, null, null, null);
    }

    boolean hasSplitFields() {
        return protocol != null || host != null || port != null || username != null || password != null;
    }
}
