package ponte.adapters.whatsapp.client;

/** Where a client connection stands. Terminal states stop the reconnect loop until someone acts. */
public enum ConnectionState {
    CONNECTING(false),
    AWAITING_QR_SCAN(false),
    CONNECTED(false),
    RECONNECTING(false),
    DISCONNECTED(true),
    LOGGED_OUT(true),
    CLIENT_OUTDATED(true),
    TEMPORARILY_BANNED(true),
    BANNED(true),
    REPLACED(true),
    /** Every QR code of a registration expired unscanned: pairing is over until someone connects again. */
    QR_TIMEOUT(true),
    FAILED(true);

    private final boolean terminal;

    ConnectionState(boolean terminal) {
        this.terminal = terminal;
    }

    public boolean terminal() {
        return terminal;
    }
}
