package ponte.adapters.whatsapp.sandbox;

import java.security.SecureRandom;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import ponte.adapters.whatsapp.binary.Jid;
import ponte.adapters.whatsapp.binary.Node;
import ponte.adapters.whatsapp.sandbox.store.VirtualPhone;

/**
 * Trusted-contact privacy tokens (protocol.md §1.14 step 6, §1.21 {@code privacy_token}): a device issues a token to
 * a contact with {@code <iq xmlns="privacy" type="set"><tokens><token jid t type="trusted_contact"/>}; the server
 * mints the token and hands it to every device of that contact in a {@code privacy_token} notification, which the
 * contact then attaches as {@code <tctoken>} to its 1:1 messages. The sandbox does not yet refuse a message for a
 * missing token (WhatsApp's 463), so the tokens it mints are not checked either.
 */
final class PrivacyTokens {

    private static final int TOKEN_BYTES = 24;

    private final VirtualPhones phones;
    private final MessageRouter router;
    private final Clock clock;
    private final SecureRandom random;
    private final AtomicLong ids = new AtomicLong();

    PrivacyTokens(VirtualPhones phones, MessageRouter router, Clock clock, SecureRandom random) {
        this.phones = phones;
        this.router = router;
        this.clock = clock;
        this.random = random;
    }

    /** Handles a token issuance of {@code self}; false when the IQ is not one. */
    boolean receive(Jid self, Node iq, Consumer<Node> reply) {
        Optional<Node> tokens = iq.child("tokens");
        if (!iq.attributeOr("xmlns", "").equals("privacy") || !iq.attributeOr("type", "").equals("set")
                || tokens.isEmpty()) {
            return false;
        }
        String id = iq.attributeOr("id", "");
        Optional<VirtualPhone> issuer = phones.account(self);
        List<Node> requested = tokens.get().children();
        if (issuer.isEmpty() || requested.isEmpty() || !requested.stream().allMatch(token -> token.tag().equals("token")
                && token.attributeOr("type", "").equals("trusted_contact") && token.attribute("t").isPresent()
                && token.attribute("jid").flatMap(Jid::parse).isPresent())) {
            reply.accept(Stanzas.error(id, 400, "bad-request"));
            return true;
        }
        for (Node token : requested) {
            Jid contact = Jid.parse(token.attributeOr("jid", "")).orElseThrow();
            phones.account(contact).ifPresent(account -> hand(issuer.get(), account, token.attributeOr("t", "")));
        }
        reply.accept(Stanzas.result(id, List.of()));
        return true;
    }

    private void hand(VirtualPhone issuer, VirtualPhone contact, String t) {
        byte[] token = new byte[TOKEN_BYTES];
        random.nextBytes(token);
        router.notify(contact, Node.withChildren("notification", Node.attrs(
                "from", Jid.device(issuer.phone(), 0, Jid.USER_SERVER).toString(),
                "type", "privacy_token", "id", "sbx-tok-" + ids.incrementAndGet(),
                "t", Long.toString(clock.instant().getEpochSecond()),
                "sender_lid", Jid.device(issuer.lid(), 0, Jid.LID_SERVER).toString()),
                List.of(Node.withChildren("tokens", Map.of(), List.of(Node.withBytes("token", Node.attrs(
                        "jid", Jid.device(contact.phone(), 0, Jid.USER_SERVER).toString(), "t", t,
                        "type", "trusted_contact"), token))))));
    }
}
