package ponte.domain.proxy;

import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.regex.Pattern;
import ponte.domain.validation.ValidationException;
import ponte.domain.validation.Violations;

/**
 * The proxy rules: how a proxy is written (a {@code proxy_url} or the split protocol/host/port form), what is a
 * valid one, and which proxy an instance uses.
 */
public final class ProxyPolicy {
    private static final Pattern LABEL = Pattern.compile("[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?");
    private static final Pattern DOTTED_NUMBERS = Pattern.compile("[0-9.]+");
    private static final Pattern IPV6 = Pattern.compile("[0-9A-Fa-f:.]+");
    private static final int MAX_CREDENTIAL = 255;

    private ProxyPolicy() {}

    /** Reads one of the two forms; sending both, or neither, is refused. */
    public static Proxy read(ProxyInput input) {
        if (input.proxyUrl() != null && input.hasSplitFields()) {
            throw ValidationException.of("proxy_url", "send either proxy_url or protocol/host/port, not both");
        }
        if (input.proxyUrl() != null) {
            return fromUrl(input.proxyUrl());
        }
        if (!input.hasSplitFields()) {
            throw ValidationException.of("proxy_url", "is required (or protocol, host and port)");
        }
        return fromParts(input.protocol(), input.host(), input.port(), input.username(), input.password());
    }

    /**
     * A PUT of a proxy is partial, as every configuration PUT is: a {@code proxy_url} replaces the proxy whole, while
     * the split fields change only what they carry and keep the rest of {@code current} ({@code ""} clears the
     * username or password). Without a current proxy this is {@link #read(ProxyInput)}.
     */
    public static Proxy read(ProxyInput input, Optional<Proxy> current) {
        if (current.isEmpty() || input.proxyUrl() != null) {
            return read(input);
        }
        var stored = current.get();
        return fromParts(input.protocol() != null ? input.protocol() : stored.protocol().wireName(),
                input.host() != null ? input.host() : stored.host(),
                input.port() != null ? input.port() : stored.port(),
                input.username() != null ? input.username() : stored.username(),
                input.password() != null ? input.password() : stored.password());
    }

    /** {@code socks5://user:pass@host:1080}; user and password may be percent-encoded. */
    public static Proxy fromUrl(String url) {
        URI uri;
        try {
            uri = new URI(url.strip());
        } catch (URISyntaxException e) {
            throw ValidationException.of("proxy_url", "must be a URL like socks5://user:pass@host:1080");
        }
        var violations = new Violations();
        var protocol = ProxyProtocol.fromWire(uri.getScheme());
        violations.check(protocol.isPresent(), "proxy_url", "scheme must be http, https or socks5");
        violations.check(uri.getRawAuthority() != null, "proxy_url", "must be a URL like socks5://user:pass@host:1080");
        violations.check(emptyPath(uri), "proxy_url", "must not have a path, query or fragment");
        violations.throwIfAny();
        var host = uri.getHost();
        violations.check(host != null, "proxy_url", "host must be a hostname or an IP address");
        violations.check(uri.getPort() != -1, "proxy_url", "port is required (1-65535)");
        violations.throwIfAny();
        String username = null;
        String password = null;
        if (uri.getRawUserInfo() != null) {
            var raw = uri.getRawUserInfo();
            int colon = raw.indexOf(':');
            username = decode(colon < 0 ? raw : raw.substring(0, colon));
            password = colon < 0 ? null : decode(raw.substring(colon + 1));
        }
        return build("proxy_url", protocol.get(), unbracket(host), uri.getPort(), username, password);
    }

    public static Proxy fromParts(String protocol, String host, Integer port, String username, String password) {
        var violations = new Violations();
        var parsed = ProxyProtocol.fromWire(protocol);
        violations.check(protocol != null, "protocol", "is required (http, https or socks5)");
        violations.check(protocol == null || parsed.isPresent(), "protocol", "must be http, https or socks5");
        violations.check(host != null && !host.isBlank(), "host", "is required");
        violations.check(port != null, "port", "is required (1-65535)");
        violations.throwIfAny();
        return build(null, parsed.get(), unbracket(host.strip()), port, blankToNull(username), blankToNull(password));
    }

    /** The override wins over the tenant proxy; without either the instance dials directly. */
    public static EffectiveProxy effective(Optional<Proxy> instanceOverride, Optional<Proxy> tenantProxy) {
        if (instanceOverride.isPresent()) {
            return new EffectiveProxy(ProxySource.INSTANCE, instanceOverride);
        }
        if (tenantProxy.isPresent()) {
            return new EffectiveProxy(ProxySource.TENANT, tenantProxy);
        }
        return EffectiveProxy.NONE;
    }

    /** A tenant proxy change reaches only the online instances that have no override of their own. */
    public static boolean tenantChangeReconnects(boolean online, boolean hasOverride) {
        return online && !hasOverride;
    }

    public static boolean isValidHost(String host) {
        if (host == null || host.isEmpty() || host.length() > 253) {
            return false;
        }
        if (host.indexOf(':') >= 0) {
            return isIpv6(host);
        }
        if (DOTTED_NUMBERS.matcher(host).matches()) {
            return isIpv4(host);
        }
        var trimmed = host.endsWith(".") ? host.substring(0, host.length() - 1) : host;
        for (var label : trimmed.split("\\.", -1)) {
            if (!LABEL.matcher(label).matches()) {
                return false;
            }
        }
        return true;
    }

    private static Proxy build(String urlField, ProxyProtocol protocol, String host, int port, String username,
                               String password) {
        var violations = new Violations();
        violations.check(isValidHost(host), field(urlField, "host"), "must be a hostname or an IP address");
        violations.check(port >= 1 && port <= 65_535, field(urlField, "port"), "must be from 1 to 65535");
        violations.check(password == null || username != null, field(urlField, "password"),
                "needs a username");
        violations.check(username == null || username.length() <= MAX_CREDENTIAL, field(urlField, "username"),
                "must be at most 255 characters");
        violations.check(password == null || password.length() <= MAX_CREDENTIAL, field(urlField, "password"),
                "must be at most 255 characters");
        violations.throwIfAny();
        return new Proxy(protocol, host.toLowerCase(java.util.Locale.ROOT), port, username, password);
    }

    private static String field(String urlField, String part) {
        return urlField != null ? urlField : part;
    }

    private static boolean emptyPath(URI uri) {
        var path = uri.getRawPath();
        return (path == null || path.isEmpty() || path.equals("/")) && uri.getRawQuery() == null
                && uri.getRawFragment() == null;
    }

    private static boolean isIpv4(String host) {
        var parts = host.split("\\.", -1);
        if (parts.length != 4) {
            return false;
        }
        for (var part : parts) {
            if (!part.matches("\\d{1,3}") || Integer.parseInt(part) > 255) {
                return false;
            }
        }
        return true;
    }

    private static boolean isIpv6(String host) {
        if (!IPV6.matcher(host).matches() || host.indexOf("::") != host.lastIndexOf("::")) {
            return false;
        }
        var groups = host.split(":", -1);
        if (groups.length < 3 || groups.length > 8) {
            return false;
        }
        for (var group : groups) {
            if (group.length() > 4 && !(group.contains(".") && isIpv4(group))) {
                return false;
            }
        }
        return true;
    }

    private static String unbracket(String host) {
        return host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
    }

    private static String decode(String raw) {
        var decoded = URLDecoder.decode(raw.replace("+", "%2B"), StandardCharsets.UTF_8);
        return decoded.isEmpty() ? null : decoded;
    }

    private static String blankToNull(String value) {
        return value == null || value.isEmpty() ? null : value;
    }
}
