package ponte.adapters.whatsapp.sandbox;

import java.util.List;
import ponte.adapters.whatsapp.binary.Jid;
import ponte.adapters.whatsapp.binary.Node;

/** The server's answers to an IQ, as every part of the sandbox sends them: from {@code s.whatsapp.net}, same id. */
final class Stanzas {

    static final String SERVER = Jid.USER_SERVER;

    private Stanzas() {
    }

    /** {@code <iq type="result">}, empty or with the given children. */
    static Node result(String id, List<Node> children) {
        var attrs = Node.attrs("from", SERVER, "type", "result", "id", id);
        return children.isEmpty() ? Node.of("iq", attrs) : Node.withChildren("iq", attrs, children);
    }

    /** {@code <iq type="error"><error code text/></iq>}, the shape WhatsApp refuses an IQ with. */
    static Node error(String id, int code, String text) {
        return Node.withChildren("iq", Node.attrs("from", SERVER, "type", "error", "id", id),
                List.of(Node.of("error", Node.attrs("code", Integer.toString(code), "text", text))));
    }
}
