package ponte.domain.egress;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import ponte.domain.validation.ValidationException;

/**
 * Where the gateway may send a request on a user's behalf: webhooks, media {@code url}s, link previews and Chatwoot
 * all obey this one policy (the SSRF guard). A URL is checked as written ({@link #parse}); the HTTP client asks
 * {@link #refusal} again for every address the host resolves to, at every redirect, and then connects to exactly the
 * addresses it checked (so a name that answers differently a moment later, DNS rebinding, gets nowhere).
 *
 * <p>Refused by default, in every encoding an address can take (IPv4-mapped {@code ::ffff:a.b.c.d}, IPv4-compatible
 * {@code ::a.b.c.d}, NAT64 {@code 64:ff9b::/96}, 6to4 {@code 2002::/16}, Teredo {@code 2001::/32}; in a URL also the
 * {@code inet_aton} spellings {@code 2130706433}, {@code 0x7f.1}, {@code 0177.0.0.1}):
 * <ul>
 *   <li>private: loopback ({@code 127/8}, {@code ::1}), RFC 1918, CGNAT {@code 100.64/10}, benchmarking
 *       {@code 198.18/15}, unique-local {@code fc00::/7}, site-local {@code fec0::/10}, the names {@code localhost}
 *       and {@code *.localhost}: lifted by {@code allowPrivate};</li>
 *   <li>link-local and cloud metadata: {@code 169.254/16} (AWS, GCP, Azure, OpenStack), {@code fe80::/10},
 *       {@code fd00:ec2::254} (AWS over IPv6), {@code 100.100.100.200} (Alibaba), the names
 *       {@code metadata.google.internal} and its kin: lifted only by {@code allowLinkLocal}, never by
 *       {@code allowPrivate};</li>
 *   <li>always: unspecified ({@code 0/8}, {@code ::}; connecting there reaches the host itself), multicast,
 *       broadcast and reserved ({@code 240/4}).</li>
 * </ul>
 *
 * @param allowPrivate   {@code PONTE_EGRESS_ALLOW_PRIVATE}: requests may reach loopback and private networks
 *                       (self-hosted receivers, tests)
 * @param allowLinkLocal {@code PONTE_EGRESS_ALLOW_LINK_LOCAL}: requests may reach link-local and cloud-metadata
 *                       addresses (hardly ever right: there the host's cloud credentials are served)
 */
public record EgressPolicy(boolean allowPrivate, boolean allowLinkLocal) {
    /** The default: only public addresses. */
    public static final EgressPolicy STRICT = new EgressPolicy(false, false);

    /** The setting that lifts the refusal of private addresses, named in every refusal of one. */
    public static final String ALLOW_PRIVATE_SETTING = "PONTE_EGRESS_ALLOW_PRIVATE";
    /** The setting that lifts the refusal of link-local and metadata addresses. */
    public static final String ALLOW_LINK_LOCAL_SETTING = "PONTE_EGRESS_ALLOW_LINK_LOCAL";

    private static final Set<String> METADATA_HOSTS = Set.of("metadata.google.internal", "metadata.goog",
            "metadata", "instance-data", "instance-data.ec2.internal", "metadata.azure.internal",
            "metadata.internal");
    private static final InetAddress AWS_IMDS_V6 = InetAddress.ofLiteral("fd00:ec2::254");

    /** What an address is, for the policy. */
    public enum Kind {
        PUBLIC(""),
        PRIVATE("a loopback or private-network address"),
        LINK_LOCAL("a link-local or cloud-metadata address"),
        NEVER("an unspecified, multicast or reserved address");

        private final String description;

        Kind(String description) {
            this.description = description;
        }

        /** How a refusal names this kind, e.g. "a link-local or cloud-metadata address". */
        public String description() {
            return description;
        }
    }

    /**
     * Parses {@code url} given in the API's {@code field}: http(s) only, a host, no credentials, and a host whose
     * name or literal address (any spelling) this policy refuses is a validation error on the field naming the
     * setting that would allow it. A name is resolved later, by the client, and checked there.
     */
    public URI parse(String field, String url) {
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
        if (uri.getRawUserInfo() != null) {
            throw ValidationException.of(field, "must not carry credentials (user:password@)");
        }
        hostRefusal(host).ifPresent(reason -> {
            throw ValidationException.of(field, "points at " + host + ", " + reason);
        });
        return uri;
    }

    /**
     * Why a host as written is refused ("... which the gateway does not reach; set X=true to allow it"), or empty
     * when it is a public literal or a name left to DNS.
     */
    public Optional<String> hostRefusal(String rawHost) {
        var host = rawHost.toLowerCase(Locale.ROOT);
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        while (host.endsWith(".")) {
            host = host.substring(0, host.length() - 1);
        }
        Kind kind;
        if (METADATA_HOSTS.contains(host)) {
            kind = Kind.LINK_LOCAL;
        } else if (host.equals("localhost") || host.endsWith(".localhost")) {
            kind = Kind.PRIVATE;
        } else {
            var literal = literal(host);
            if (literal.isEmpty()) {
                return Optional.empty();
            }
            kind = classify(literal.get());
        }
        return allows(kind) ? Optional.empty() : Optional.of(explain(kind));
    }

    /**
     * Why a resolved address is refused (the same words as {@link #hostRefusal}), or empty when the policy lets a
     * request connect to it. What the client asks after DNS, for every address, before it connects.
     */
    public Optional<String> refusal(InetAddress address) {
        var kind = classify(address);
        return allows(kind) ? Optional.empty() : Optional.of(explain(kind));
    }

    /** Whether a request may connect to {@code address}. */
    public boolean refuses(InetAddress address) {
        return refusal(address).isPresent();
    }

    private boolean allows(Kind kind) {
        return switch (kind) {
            case PUBLIC -> true;
            case PRIVATE -> allowPrivate;
            case LINK_LOCAL -> allowLinkLocal;
            case NEVER -> false;
        };
    }

    private static String explain(Kind kind) {
        return switch (kind) {
            case PRIVATE -> kind.description() + ", which the gateway does not reach; set " + ALLOW_PRIVATE_SETTING
                    + "=true to allow it";
            case LINK_LOCAL -> kind.description() + ", which the gateway does not reach; set "
                    + ALLOW_LINK_LOCAL_SETTING + "=true to allow it (" + ALLOW_PRIVATE_SETTING + " does not)";
            default -> kind.description() + ", which the gateway never reaches";
        };
    }

    /** What {@code address} is, an IPv4 address hidden in an IPv6 one judged as itself. */
    public static Kind classify(InetAddress address) {
        var bytes = address.getAddress();
        if (address instanceof Inet4Address) {
            return classifyV4(bytes);
        }
        if (address instanceof Inet6Address) {
            return classifyV6(bytes, address);
        }
        return Kind.NEVER;
    }

    private static Kind classifyV4(byte[] b) {
        int first = b[0] & 0xff;
        int second = b[1] & 0xff;
        if (first == 169 && second == 254 || first == 100 && second == 100 && (b[2] & 0xff) == 100
                && (b[3] & 0xff) == 200) {
            return Kind.LINK_LOCAL;
        }
        if (first == 0 || first >= 224) {
            return Kind.NEVER;
        }
        if (first == 127 || first == 10 || first == 172 && second >= 16 && second <= 31
                || first == 192 && second == 168 || first == 100 && second >= 64 && second <= 127
                || first == 198 && (second == 18 || second == 19)) {
            return Kind.PRIVATE;
        }
        return Kind.PUBLIC;
    }

    private static Kind classifyV6(byte[] b, InetAddress address) {
        if (zeros(b, 0, 10) && (b[10] & 0xff) == 0xff && (b[11] & 0xff) == 0xff) {
            return classifyV4(slice(b, 12)); // ::ffff:a.b.c.d, IPv4-mapped
        }
        if (zeros(b, 0, 12)) {
            if (zeros(b, 12, 15)) {
                return (b[15] & 0xff) == 1 ? Kind.PRIVATE : Kind.NEVER; // ::1 loopback, :: unspecified
            }
            return classifyV4(slice(b, 12)); // ::a.b.c.d, IPv4-compatible (deprecated, still routed by some)
        }
        if ((b[0] & 0xff) == 0x00 && (b[1] & 0xff) == 0x64 && (b[2] & 0xff) == 0xff && (b[3] & 0xff) == 0x9b
                && zeros(b, 4, 12)) {
            return classifyV4(slice(b, 12)); // 64:ff9b::/96, NAT64
        }
        if ((b[0] & 0xff) == 0x20 && (b[1] & 0xff) == 0x02) {
            return classifyV4(slice(b, 2)); // 2002::/16, 6to4
        }
        if ((b[0] & 0xff) == 0x20 && (b[1] & 0xff) == 0x01 && b[2] == 0 && b[3] == 0) {
            var client = slice(b, 12); // 2001::/32, Teredo: the client's IPv4 address, inverted
            for (int i = 0; i < 4; i++) {
                client[i] = (byte) ~client[i];
            }
            return classifyV4(client);
        }
        if (address.equals(AWS_IMDS_V6) || address.isLinkLocalAddress()) {
            return Kind.LINK_LOCAL;
        }
        if (address.isMulticastAddress()) {
            return Kind.NEVER;
        }
        if ((b[0] & 0xfe) == 0xfc || address.isSiteLocalAddress()) {
            return Kind.PRIVATE; // fc00::/7 unique-local, fec0::/10 site-local
        }
        return Kind.PUBLIC;
    }

    /**
     * The address a host names literally: an IPv6 literal, or IPv4 in any spelling {@code inet_aton} accepts (one to
     * four parts, each decimal, octal with a leading 0, or hex with 0x), which is how a resolver reads it too.
     */
    static Optional<InetAddress> literal(String host) {
        if (host.contains(":")) {
            try {
                return Optional.of(InetAddress.ofLiteral(host));
            } catch (IllegalArgumentException notALiteral) {
                return Optional.empty();
            }
        }
        if (!host.matches("[0-9a-fx.]+") || !Character.isDigit(host.charAt(0))) {
            return Optional.empty();
        }
        var parts = host.split("\\.", -1);
        if (parts.length > 4) {
            return Optional.empty();
        }
        var values = new long[parts.length];
        for (int i = 0; i < parts.length; i++) {
            var value = number(parts[i]);
            if (value < 0) {
                return Optional.empty();
            }
            values[i] = value;
        }
        long address = 0;
        for (int i = 0; i < values.length - 1; i++) {
            if (values[i] > 255) {
                return Optional.empty();
            }
            address |= values[i] << (24 - 8 * i);
        }
        long last = values[values.length - 1];
        if (last >= 1L << (8 * (5 - values.length))) {
            return Optional.empty();
        }
        address |= last;
        var bytes = new byte[] {(byte) (address >>> 24), (byte) (address >>> 16), (byte) (address >>> 8),
                (byte) address};
        try {
            return Optional.of(InetAddress.getByAddress(bytes));
        } catch (java.net.UnknownHostException impossible) {
            return Optional.empty();
        }
    }

    private static long number(String part) {
        try {
            if (part.startsWith("0x")) {
                return part.length() > 2 && part.length() <= 10 ? Long.parseLong(part.substring(2), 16) : -1;
            }
            if (part.isEmpty() || part.length() > 12 || part.contains("x")) {
                return -1;
            }
            return part.length() > 1 && part.startsWith("0") ? Long.parseLong(part.substring(1), 8)
                    : Long.parseLong(part);
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    private static boolean zeros(byte[] bytes, int from, int to) {
        for (int i = from; i < to; i++) {
            if (bytes[i] != 0) {
                return false;
            }
        }
        return true;
    }

    private static byte[] slice(byte[] bytes, int from) {
        return new byte[] {bytes[from], bytes[from + 1], bytes[from + 2], bytes[from + 3]};
    }
}
