package ponte.domain.instance;

import java.util.Locale;

/** Why a session is down; only {@link InstanceStatus#DISCONNECTED} carries one. */
public enum DisconnectReason {
    NETWORK, MANUAL, LOGGED_OUT, REPLACED, OUTDATED, BANNED, PROXY_ERROR;

    /** The reasons after which reconnecting on our own would only repeat the failure. */
    public boolean stopsAutomaticReconnect() {
        return this == MANUAL || this == LOGGED_OUT || this == REPLACED || this == OUTDATED || this == BANNED;
    }

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
