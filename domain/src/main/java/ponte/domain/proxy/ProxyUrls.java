package ponte.domain.proxy;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;

/** Spelling of hosts and credentials inside a proxy URL. */
final class ProxyUrls {
    private ProxyUrls() {}

    static String encode(String userInfoPart) {
        return URLEncoder.encode(userInfoPart, StandardCharsets.UTF_8).replace("+", "%20");
    }

    static String hostForUrl(String host) {
        return host.indexOf(':') >= 0 ? "[" + host + "]" : host;
    }
}
