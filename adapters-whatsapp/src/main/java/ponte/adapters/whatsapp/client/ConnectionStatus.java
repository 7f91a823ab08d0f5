package ponte.adapters.whatsapp.client;

/** A state with the server's code (0 when none) and a human-readable reason for operators. */
public record ConnectionStatus(ConnectionState state, int code, String reason) {

    public static ConnectionStatus of(ConnectionState state) {
        return new ConnectionStatus(state, 0, "");
    }
}
