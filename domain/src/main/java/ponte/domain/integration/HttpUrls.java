package ponte.domain.integration;

import java.net.URI;
import java.net.URISyntaxException;

/** The check shared by every integration endpoint a person types in: an absolute http(s) URL with a host. */
final class HttpUrls {
    private HttpUrls() {}

    static boolean isHttpUrl(String value) {
        if (value == null) {
            return false;
        }
        try {
            var uri = new URI(value);
            return ("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) && uri.getHost() != null
                    && uri.getRawQuery() == null && uri.getRawFragment() == null && uri.getRawUserInfo() == null;
        } catch (URISyntaxException e) {
            return false;
        }
    }

    static String withoutTrailingSlash(String value) {
        var result = value.strip();
        while (result.endsWith("/")) {
            result = result.substring(0, result.length() - 1);
        }
        return result;
    }
}
