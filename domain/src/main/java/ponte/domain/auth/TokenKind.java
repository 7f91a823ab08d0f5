package ponte.domain.auth;

import java.util.Locale;

/** The three kinds of bearer token and what each may reach. */
public enum TokenKind {
    /** The server operator: manages tenants, nothing inside them. */
    ADMIN,
    /** One tenant: all of its instances and tenant-wide settings. */
    ACCOUNT,
    /** One instance of one tenant. */
    INSTANCE;

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
