package ponte.adapters.whatsapp.client;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import ponte.adapters.whatsapp.binary.Jid;
import ponte.adapters.whatsapp.binary.Node;
import ponte.adapters.whatsapp.store.PrivacyTokenStore;
import ponte.adapters.whatsapp.store.PrivacyTokenStore.PrivacyToken;

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
 * <p>Tokens are kept in the device store ({@link PrivacyTokenStore}, sealed) and cached here, by the contact's user
 * (the PN or LID user they were minted for; a lookup tries the other form too), so a restart starts with them.
 */
final class PrivacyTokens {

    private static final System.Logger LOG = System.getLogger(PrivacyTokens.class.getName());

    private final UUID deviceId;
    private final PrivacyTokenStore store;
    private final IqSender iq;
    private final LidMappings lids;
    private final Clock clock;
    /** The tokens read or kept so far, by contact user; an empty array: the store has none. */
    private final Map<String, byte[]> byUser = new ConcurrentHashMap<>();

    PrivacyTokens(UUID deviceId, PrivacyTokenStore store, IqSender iq, LidMappings lids, Clock clock) {
        this.deviceId = deviceId;
        this.store = store;
        this.iq = iq;
        this.lids = lids;
        this.clock = clock;
    }

    void register(NodeHandlers handlers) {
        handlers.on("notification", "privacy_token", this::onTokens);
    }

    /** The {@code <tctoken>} for a 1:1 message to {@code chat}, when we hold one. */
    Optional<Node> tokenFor(Jid chat) {
        return held(chat.user()).or(() -> other(chat).flatMap(this::held))
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
                Instant issued = token.attribute("t").flatMap(PrivacyTokens::seconds).orElseGet(clock::instant);
                try {
                    store.savePrivacyToken(deviceId, owner.get().user(), new PrivacyToken(bytes.get(), issued));
                } catch (RuntimeException e) {
                    // still used until a restart; the worst a lost one costs is a 463 and one more issue
                    LOG.log(System.Logger.Level.WARNING, "could not keep a privacy token", e);
                }
                byUser.put(owner.get().user(), bytes.get());
            }
        }
    }

    private Optional<byte[]> held(String user) {
        byte[] token = byUser.computeIfAbsent(user, u -> store.privacyToken(deviceId, u).map(PrivacyToken::token)
                .orElse(new byte[0]));
        return token.length == 0 ? Optional.empty() : Optional.of(token);
    }

    private static Optional<Instant> seconds(String text) {
        try {
            return Optional.of(Instant.ofEpochSecond(Long.parseLong(text)));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }

    private Optional<String> other(Jid chat) {
        return chat.server().equals(Jid.LID_SERVER) ? lids.phoneOf(chat.user()) : lids.lidOf(chat.user());
    }
}
