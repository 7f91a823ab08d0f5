package ponte.adapters.whatsapp.client;

import java.util.Optional;
import ponte.adapters.whatsapp.binary.Node;

/**
 * Reads what the server decided about this connection from {@code <failure>} and {@code <stream:error>} nodes.
 * Codes follow whatsmeow's connect-failure reasons (types/events/events.go) and stream-error handling
 * (connectionevents.go): a reconnect is only attempted where another attempt can succeed.
 */
final class ServerVerdicts {

    /** What to do next: reconnect now, reconnect after backoff, or stop in a terminal status. */
    record Verdict(ConnectionStatus status, boolean reconnect, boolean immediately) {
    }

    private ServerVerdicts() {
    }

    static Optional<Verdict> of(Node node) {
        return switch (node.tag()) {
            case "failure" -> Optional.of(failure(parseCode(node.attributeOr("reason", "0"))));
            case "stream:error" -> Optional.of(streamError(node));
            default -> Optional.empty();
        };
    }

    static Verdict failure(int reason) {
        return switch (reason) {
            case 401 -> stop(ConnectionState.LOGGED_OUT, reason, "logged out from the phone");
            case 402 -> stop(ConnectionState.TEMPORARILY_BANNED, reason, "temporarily banned");
            case 403 -> stop(ConnectionState.BANNED, reason, "account locked");
            case 405 -> stop(ConnectionState.CLIENT_OUTDATED, reason,
                    "WhatsApp refuses this WhatsApp Web version; configure a current one");
            case 406 -> stop(ConnectionState.BANNED, reason, "banned");
            case 409 -> stop(ConnectionState.FAILED, reason, "WhatsApp rejected the client's user agent");
            default -> reason >= 500
                    ? retry(reason, "server error", false)
                    : stop(ConnectionState.FAILED, reason, "connection refused");
        };
    }

    /**
     * The registration's QR codes ran out unscanned; the server hangs up after the last one (whatsmeow qrchan.go ends
     * the QR channel with a timeout). Another attempt would only show new codes nobody is looking at.
     */
    static Verdict qrTimeout() {
        return stop(ConnectionState.QR_TIMEOUT, 0, "the QR codes expired unscanned");
    }

    private static Verdict streamError(Node node) {
        int code = parseCode(node.attributeOr("code", "0"));
        Optional<String> conflict = node.child("conflict").map(c -> c.attributeOr("type", ""));
        if (conflict.filter("replaced"::equals).isPresent()) {
            return stop(ConnectionState.REPLACED, code, "another connection took over this device");
        }
        if (conflict.filter("device_removed"::equals).isPresent() || code == 401) {
            return stop(ConnectionState.LOGGED_OUT, code, "device removed");
        }
        if (code == 515) {
            return retry(code, "restart required", true);
        }
        return retry(code, "stream error", false);
    }

    private static Verdict retry(int code, String reason, boolean immediately) {
        return new Verdict(new ConnectionStatus(ConnectionState.RECONNECTING, code, reason), true, immediately);
    }

    private static Verdict stop(ConnectionState state, int code, String reason) {
        return new Verdict(new ConnectionStatus(state, code, reason), false, false);
    }

    private static int parseCode(String text) {
        try {
            return Integer.parseInt(text);
        } catch (NumberFormatException e) {
            return 0;
        }
    }
}
