package ponte.domain.proxy;

import java.util.Locale;
import java.util.Optional;

/** The proxy kinds the WhatsApp socket can dial through. */
public enum ProxyProtocol {
    HTTP, HTTPS, SOCKS5;

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Optional<ProxyProtocol> fromWire(String value) {
        if (value == null) {
            return Optional.empty();
        }
        for (var protocol : values()) {
            if (protocol.wireName().equals(value.strip().toLowerCase(Locale.ROOT))) {
                return Optional.of(protocol);
            }
        }
        return Optional.empty();
    }
}
