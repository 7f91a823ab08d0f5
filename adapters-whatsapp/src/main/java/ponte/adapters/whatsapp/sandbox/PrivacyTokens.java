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
 * contact then attaches as {@code <tctoken>} to its 1:1 messages. The IQ's result carries the token the issuer
 * attaches to its own messages to that contact ({@code <tokens><token jid t type>bytes</token></tokens>}, as Baileys
 * {@code storeTcTokensFromIqResult} reads it). An account whose phone asks for tokens ({@link #require}) refuses a
 * 1:1 message from a companion of another account without a token minted for that pair: ack error 463 (Baileys
 * {@code SERVER_ERROR_CODES.MessageAccountRestriction}). That the issuance IQ is what makes a refused sender able to
 * send is the sandbox's model, read from Baileys' recovery (it issues on a 463); WhatsApp's own rules are not
 * public.
 */
final class PrivacyTokens {

    private static final int TOKEN_BYTES = 24;

    private final VirtualPhones phones;
    private final MessageRouter router;
    private final Clock clock;
    private final SecureRandom random;
    private final AtomicLong ids = new AtomicLong();
    /** Phone numbers of the accounts that refuse messages without a token. */
    private final java.util.Set<String> requiring = java.util.concurrent.ConcurrentHashMap.newKeySet();
    /** Tokens minted for "sender>recipient" (phone numbers): what the sender may attach when writing. */
    private final Map<String, byte[]> minted = new java.util.concurrent.ConcurrentHashMap<>();
    /** How many tokens each account's devices asked to issue, by phone number. */
    private final Map<String, Integer> issued = new java.util.concurrent.ConcurrentHashMap<>();

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
        List<Node> forIssuer = new java.util.ArrayList<>();
        for (Node token : requested) {
            Jid contact = Jid.parse(token.attributeOr("jid", "")).orElseThrow();
            Optional<VirtualPhone> account = phones.account(contact);
            if (account.isEmpty()) {
                continue;
            }
            String t = token.attributeOr("t", "");
            hand(issuer.get(), account.get(), t);
            issued.merge(issuer.get().phone(), 1, Integer::sum);
            byte[] own = mint(issuer.get(), account.get());
            forIssuer.add(Node.withBytes("token", Node.attrs("jid", Jid.device(contact.user(), 0, contact.server())
                    .toString(), "t", t, "type", "trusted_contact"), own));
        }
        reply.accept(Stanzas.result(id, forIssuer.isEmpty() ? List.of()
                : List.of(Node.withChildren("tokens", Map.of(), forIssuer))));
        return true;
    }

    /** From now on the account refuses 1:1 messages from other accounts that carry no token minted for them. */
    void require(VirtualPhone account) {
        requiring.add(account.phone());
    }

    /** Whether a message from {@code sender} to {@code recipient} may pass: a token is required and missing. */
    boolean refuses(VirtualPhone sender, VirtualPhone recipient, Node message) {
        if (!requiring.contains(recipient.phone()) || sender.phone().equals(recipient.phone())) {
            return false;
        }
        byte[] expected = minted.get(sender.phone() + ">" + recipient.phone());
        Optional<byte[]> attached = message.child("tctoken").flatMap(Node::bytes);
        return expected == null || attached.isEmpty() || !java.util.Arrays.equals(expected, attached.get());
    }

    /** How many tokens the account's devices issued so far. */
    int issuedBy(VirtualPhone account) {
        return issued.getOrDefault(account.phone(), 0);
    }

    private byte[] mint(VirtualPhone sender, VirtualPhone recipient) {
        return minted.computeIfAbsent(sender.phone() + ">" + recipient.phone(), key -> {
            byte[] token = new byte[TOKEN_BYTES];
            random.nextBytes(token);
            return token;
        });
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
