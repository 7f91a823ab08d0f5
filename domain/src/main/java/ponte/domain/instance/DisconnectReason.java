package ponte.domain.instance;

import java.util.Locale;

/** Why a session is down; only {@link InstanceStatus#DISCONNECTED} carries one. */
public enum DisconnectReason {
    NETWORK, MANUAL, LOGGED_OUT, REPLACED, OUTDATED, BANNED, PROXY_ERROR,
    /** Pairing ran out of QR codes with none scanned; the next {@code connect} starts a new pairing. */
    QR_TIMEOUT,
    /** The phone refused the pairing code typed into it (or it expired); a new code is needed. */
    PAIRING_CODE_REJECTED,
    /** The gateway node running the session stopped (gracefully or not); its next start resumes the session. */
    GATEWAY_STOPPED;

    /** The reasons after which reconnecting on our own would only repeat the failure (or go against the user). */
    public boolean stopsAutomaticReconnect() {
        return this == MANUAL || this == LOGGED_OUT || this == REPLACED || this == OUTDATED || this == BANNED
                || this == QR_TIMEOUT || this == PAIRING_CODE_REJECTED;
    }

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
