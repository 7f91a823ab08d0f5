package ponte.domain.webhook;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;
import ponte.domain.validation.ValidationException;

/**
 * Where webhooks may point. Only http(s); by default never at link-local or cloud-metadata addresses, where a
 * webhook would read the host's cloud credentials (SSRF). Loopback and private networks stay allowed: self-hosted
 * receivers live there. The URL is checked as written; the dispatcher checks the resolved addresses again before
 * each POST, so a hostname that later resolves to a refused address (DNS rebinding) gets nowhere.
 */
public record TargetPolicy(boolean allowPrivateTargets) {
    private static final Pattern IPV4 = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");
    private static final Set<String> METADATA_HOSTS = Set.of("metadata.google.internal", "metadata.goog",
            "metadata", "instance-data", "instance-data.ec2.internal", "metadata.azure.internal");

    /**
     * What a refusal says, per kind of URL: webhooks have an {@code authorization} field and a setting that lifts
     * the link-local refusal; other users of these rules (media URLs) word their own.
     *
     * @param credentials why {@code user:password@} in the URL is refused
     * @param refused     the end of the sentence refusing a link-local or metadata host
     */
    public record Wording(String credentials, String refused) {
        /** Webhooks' wording. */
        public static final Wording WEBHOOKS = new Wording("must not carry credentials; use the authorization field",
                "which webhooks may not reach; set PONTE_WEBHOOK_ALLOW_PRIVATE_TARGETS=true to allow it");
    }

    /** Parses a webhook URL given in {@code field}; a refused or malformed one is a validation error on it. */
    public URI parse(String field, String url) {
        return parse(field, url, Wording.WEBHOOKS);
    }

    /** As {@link #parse(String, String)}, refusals worded by {@code wording}. */
    public URI parse(String field, String url, Wording wording) {
        if (url == null || url.isBlank()) {
            throw ValidationException.of(field, "is required");
        }
        URI uri;
        try {
            uri = new URI(url.strip());
        } catch (URISyntaxException e) {
            throw ValidationException.of(field, "is not a valid URL");
        }
        var scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https")) {
            throw ValidationException.of(field, "must be an http or https URL");
        }
        var host = uri.getHost();
        if (host == null || host.isEmpty()) {
            throw ValidationException.of(field, "must name a host");
        }
        if (uri.getUserInfo() != null) {
            throw ValidationException.of(field, wording.credentials());
        }
        if (!allowPrivateTargets && refusesHost(host)) {
            throw ValidationException.of(field, "points at a link-local or cloud-metadata address (" + host
                    + "), " + wording.refused());
        }
        return uri;
    }

    /** Whether a resolved address is one webhooks must not reach; what the dispatcher asks after DNS. */
    public boolean refuses(InetAddress address) {
        return !allowPrivateTargets && isMetadataOrLinkLocal(address);
    }

    private static boolean refusesHost(String rawHost) {
        var host = rawHost.toLowerCase(Locale.ROOT);
        if (host.endsWith(".")) {
            host = host.substring(0, host.length() - 1);
        }
        if (METADATA_HOSTS.contains(host)) {
            return true;
        }
        if (host.startsWith("[") && host.endsWith("]")) {
            return literal(host.substring(1, host.length() - 1));
        }
        return IPV4.matcher(host).matches() && literal(host);
    }

    private static boolean literal(String text) {
        try {
            return isMetadataOrLinkLocal(InetAddress.ofLiteral(text));
        } catch (IllegalArgumentException notALiteral) {
            return false;
        }
    }

    private static boolean isMetadataOrLinkLocal(InetAddress address) {
        var bytes = address.getAddress();
        if (address instanceof Inet4Address) {
            return (bytes[0] & 0xff) == 169 && (bytes[1] & 0xff) == 254;
        }
        if (address instanceof Inet6Address v6) {
            if (v6.isIPv4CompatibleAddress() || isMappedV4(bytes)) {
                return (bytes[12] & 0xff) == 169 && (bytes[13] & 0xff) == 254;
            }
            // fe80::/10 is link-local; fd00:ec2::254 is AWS's IMDS over IPv6
            return address.isLinkLocalAddress() || address.equals(InetAddress.ofLiteral("fd00:ec2::254"));
        }
        return false;
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
