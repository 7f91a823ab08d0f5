package ponte.adapters.whatsapp.client;

import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import ponte.adapters.whatsapp.binary.Jid;
import ponte.adapters.whatsapp.binary.Node;

/**
 * The feature for trusted-contact privacy tokens on 1:1 sends (protocol.md §1.14 step 6, §1.21): the tokens we hold
 * for a contact come in a {@code privacy_token} notification ({@code <notification type=privacy_token from>
 * <tokens><token jid t type=trusted_contact>bytes</token></tokens>}) or in the result of issuing ours to that
 * contact ({@code <iq xmlns=privacy type=set><tokens><token jid t type=trusted_contact/></tokens></iq>}, whose
 * result may carry the same {@code <tokens>}, as Baileys {@code storeTcTokensFromIqResult} reads it), and are
 * attached to every 1:1 message to that contact as {@code <tctoken>}. A send the server refuses with 463 (a missing
 * or expired token) issues our token and is tried once more ({@link Sending}); never more, because each try counts as
 * reaching out to the contact again (Baileys' note on 463).
 *
 * <p>Tokens are kept in memory, by the contact's user (its PN and, when known, its LID): after a restart the first
 * refused send issues again.
 */
final class PrivacyTokens {

    private final IqSender iq;
    private final LidMappings lids;
    private final Clock clock;
    private final Map<String, byte[]> byUser = new ConcurrentHashMap<>();

    PrivacyTokens(IqSender iq, LidMappings lids, Clock clock) {
        this.iq = iq;
        this.lids = lids;
        this.clock = clock;
    }

    void register(NodeHandlers handlers) {
        handlers.on("notification", "privacy_token", this::onTokens);
    }

    /** The {@code <tctoken>} for a 1:1 message to {@code chat}, when we hold one. */
    Optional<Node> tokenFor(Jid chat) {
        return Optional.ofNullable(byUser.get(chat.user()))
                .or(() -> other(chat).map(byUser::get))
                .map(token -> Node.withBytes("tctoken", Map.of(), token));
    }

    /** Issues our trusted-contact token to {@code contact}; completes once the server answered (tokens kept). */
    CompletableFuture<Void> issue(Jid contact) {
        Node token = Node.of("token", Node.attrs("jid", Jid.device(contact.user(), 0, contact.server()).toString(),
                "t", Long.toString(clock.instant().getEpochSecond()), "type", "trusted_contact"));
        return iq.sendIq("privacy", "set", List.of(Node.withChildren("tokens", Map.of(), List.of(token))))
                .thenAccept(answer -> keep(answer.child("tokens"), Optional.of(contact)));
    }

    /** Keeps a token the history held for the chat {@code chatJid} (a PN or LID JID; others are ignored). */
    void keep(String chatJid, byte[] token) {
        Jid.parse(chatJid).filter(jid -> jid.server().equals(Jid.USER_SERVER) || jid.server().equals(Jid.LID_SERVER))
                .ifPresent(jid -> byUser.put(jid.user(), token.clone()));
    }

    private void onTokens(Node notification) {
        keep(notification.child("tokens"), Jid.parse(notification.attributeOr("from", "")));
    }

    /** Keeps each token under the contact it was minted for: the notification's issuer, or the token's jid. */
    private void keep(Optional<Node> tokens, Optional<Jid> contact) {
        for (Node token : tokens.map(Node::children).orElse(List.of())) {
            Optional<byte[]> bytes = token.bytes().filter(value -> value.length > 0);
            Optional<Jid> owner = contact.or(() -> token.attribute("jid").flatMap(Jid::parse));
            if (token.tag().equals("token") && bytes.isPresent() && owner.isPresent()) {
                byUser.put(owner.get().user(), bytes.get());
            }
        }
    }

    private Optional<String> other(Jid chat) {
        return chat.server().equals(Jid.LID_SERVER) ? lids.phoneOf(chat.user()) : lids.lidOf(chat.user());
    }
}
