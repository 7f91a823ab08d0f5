package ponte.domain.proxy;

import java.util.Locale;

/** Where an instance's effective proxy comes from. */
public enum ProxySource {
    INSTANCE, TENANT, NONE;

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
