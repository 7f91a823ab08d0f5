package ponte.domain.media;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.URI;
import ponte.domain.validation.ValidationException;
import ponte.domain.webhook.TargetPolicy;

/**
 * Where the gateway may fetch a file or a page a user names (a media {@code url}, a link to preview): the SSRF guard.
 * The URL is checked as written with the webhooks' rules ({@link TargetPolicy}: http(s) only, no credentials, never
 * link-local or cloud-metadata addresses); in addition, unless {@code allowPrivate}, no loopback, private
 * (RFC 1918, fc00::/7), CGNAT (100.64/10), unspecified or multicast address: a user of a shared gateway must not
 * read what only the gateway's host can reach. The fetcher asks {@link #refuses} again for every address a host
 * resolves to and for every redirect, so a hostname that resolves to a refused address gets nowhere.
 *
 * @param allowPrivate {@code PONTE_MEDIA_ALLOW_PRIVATE_URLS}: let fetches reach loopback and private networks
 *                     (self-hosted setups, tests); link-local and metadata addresses stay refused
 */
public record FetchPolicy(boolean allowPrivate) {

    /** Media sends have no authorization field, and no setting opens link-local or metadata addresses to them. */
    private static final TargetPolicy.Wording MEDIA = new TargetPolicy.Wording("must not carry credentials "
            + "(user:password@): the gateway fetches media URLs without any; use a URL that needs none, or send the "
            + "file as base64", "which the gateway never fetches media from (no setting allows it); send the file "
            + "as base64, or from a URL on another address");

    /** Parses {@code url} given in the API's {@code field}; a refused or malformed one is a validation error on it. */
    public URI parse(String field, String url) {
        var uri = new TargetPolicy(false).parse(field, url, MEDIA);
        if (!allowPrivate && literalRefused(uri.getHost())) {
            throw ValidationException.of(field, "points at a private or loopback address (" + uri.getHost()
                    + "), which the gateway does not fetch; set PONTE_MEDIA_ALLOW_PRIVATE_URLS=true to allow it");
        }
        return uri;
    }

    /** Whether a resolved address is one fetches must not reach; what the fetcher asks after DNS. */
    public boolean refuses(InetAddress address) {
        if (new TargetPolicy(false).refuses(address)) {
            return true;
        }
        return !allowPrivate && isPrivate(address);
    }

    private static boolean literalRefused(String rawHost) {
        var host = rawHost.startsWith("[") && rawHost.endsWith("]") ? rawHost.substring(1, rawHost.length() - 1)
                : rawHost;
        if (host.equalsIgnoreCase("localhost") || host.toLowerCase(java.util.Locale.ROOT).endsWith(".localhost")) {
            return true;
        }
        if (!host.matches("[0-9.]+") && !host.contains(":")) {
            return false;
        }
        try {
            return isPrivate(InetAddress.ofLiteral(host));
        } catch (IllegalArgumentException notALiteral) {
            return false;
        }
    }

    private static boolean isPrivate(InetAddress address) {
        if (address.isLoopbackAddress() || address.isAnyLocalAddress() || address.isSiteLocalAddress()
                || address.isMulticastAddress() || address.isLinkLocalAddress()) {
            return true;
        }
        var bytes = address.getAddress();
        if (address instanceof Inet4Address) {
            int first = bytes[0] & 0xff;
            int second = bytes[1] & 0xff;
            return first == 0 || (first == 100 && second >= 64 && second <= 127) || first >= 240;
        }
        if (address instanceof Inet6Address) {
            if (isMappedV4(bytes)) {
                var v4 = new byte[] {bytes[12], bytes[13], bytes[14], bytes[15]};
                try {
                    return isPrivate(InetAddress.getByAddress(v4));
                } catch (java.net.UnknownHostException impossible) {
                    return true;
                }
            }
            return (bytes[0] & 0xfe) == 0xfc; // fc00::/7, unique local
        }
        return true;
    }

    private static boolean isMappedV4(byte[] bytes) {
        for (int i = 0; i < 10; i++) {
            if (bytes[i] != 0) {
                return false;
            }
        }
        return bytes[10] == (byte) 0xff && bytes[11] == (byte) 0xff;
    }
}
