package ponte.adapters.whatsapp.client;

import ponte.adapters.whatsapp.binary.Node;

/** The server answered an IQ with {@code type="error"}; the code and text come from its error child. */
public final class IqErrorException extends RuntimeException {

    private final int code;

    IqErrorException(Node response) {
        super(describe(response));
        this.code = response.child("error").map(e -> e.attributeOr("code", "0")).map(IqErrorException::parse).orElse(0);
    }

    public int code() {
        return code;
    }

    private static String describe(Node response) {
        return response.child("error")
                .map(e -> "IQ error " + e.attributeOr("code", "?") + " " + e.attributeOr("text", ""))
                .orElse("IQ error without details");
    }

    private static int parse(String text) {
        try {
            return Integer.parseInt(text);
        } catch (NumberFormatException e) {
            return 0;
        }
    }
}
