package ponte.adapters.whatsapp.client;

import java.io.IOException;
import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import ponte.adapters.whatsapp.binary.Jid;
import ponte.adapters.whatsapp.binary.Node;
import ponte.adapters.whatsapp.store.DeviceAccount;

/**
 * The feature that says whether we are online and typing, and hears the same of others (protocol.md §1.20,
 * whatsmeow presence.go):
 * <ul>
 *   <li>our own presence, {@code <presence type="available|unavailable" name="<push name>"/>} — WhatsApp shows
 *       the push name to contacts only once one was sent;</li>
 *   <li>a chat state to one chat, {@code <chatstate to><composing/></chatstate>} ({@code <composing
 *       media="audio"/>} while recording a voice note, {@code <paused/>} when stopped);</li>
 *   <li>a subscription to someone's presence, {@code <presence type="subscribe" to/>}: the server then sends
 *       theirs as it changes;</li>
 *   <li>incoming {@code <presence from [type=unavailable] [last]>} and {@code <chatstate from [participant]>},
 *       kept per person (the newest {@link #KEPT}) in memory, not acked (WhatsApp does not ask for it).</li>
 * </ul>
 */
public final class Presence {

    /** How many people's presence is kept: the rest is forgotten, oldest update first. */
    static final int KEPT = 10_000;

    /**
     * What was last seen of a person: {@code state} is {@code available}, {@code unavailable}, {@code composing},
     * {@code recording} or {@code paused}; {@code lastSeen} the {@code last} attribute of an unavailable presence
     * when the person shares it (epoch seconds on the wire); {@code updatedAt} when this device heard it.
     */
    public record Seen(String state, Optional<Instant> lastSeen, Instant updatedAt) {
    }

    private final Inbox.Sender sender;
    private final Supplier<Optional<DeviceAccount>> account;
    private final Clock clock;
    private final Map<String, Seen> seen = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Seen> eldest) {
            return size() > KEPT;
        }
    };

    Presence(Inbox.Sender sender, Supplier<Optional<DeviceAccount>> account, Clock clock) {
        this.sender = sender;
        this.account = account;
        this.clock = clock;
    }

    void register(NodeHandlers handlers) {
        handlers.on("presence", this::onPresence);
        handlers.on("chatstate", this::onChatState);
    }

    /** Our own presence, with the push name when the account has one. */
    void announce(boolean available) throws IOException {
        var attrs = Node.attrs("type", available ? "available" : "unavailable");
        account.get().map(DeviceAccount::pushName).filter(name -> !name.isBlank())
                .ifPresent(name -> attrs.put("name", name));
        sender.send(Node.of("presence", attrs));
    }

    /** {@code composing}, {@code recording} or {@code paused} to the chat {@code to} (a person or a group). */
    void chatState(String to, String state) throws IOException {
        Node child = switch (state) {
            case "composing" -> Node.of("composing");
            case "recording" -> Node.of("composing", Node.attrs("media", "audio"));
            case "paused" -> Node.of("paused");
            default -> throw new IllegalArgumentException("not a chat state: " + state);
        };
        sender.send(Node.withChildren("chatstate", Node.attrs("to", to), List.of(child)));
    }

    /** Asks the server for {@code to}'s presence, now and as it changes. */
    void subscribe(String to) throws IOException {
        sender.send(Node.of("presence", Node.attrs("type", "subscribe", "to", to)));
    }

    /** What was last seen of {@code person} (a JID without device), if anything. */
    Optional<Seen> seen(String person) {
        synchronized (seen) {
            return Optional.ofNullable(seen.get(person));
        }
    }

    private void onPresence(Node presence) {
        Optional<String> from = person(presence.attributeOr("from", ""));
        String type = presence.attributeOr("type", "available");
        if (from.isEmpty() || !type.equals("available") && !type.equals("unavailable")) {
            return; // a subscribe, an error, the server's own: nothing about a person
        }
        boolean available = type.equals("available");
        Optional<Instant> last = presence.attribute("last").flatMap(Presence::seconds);
        keep(from.get(), available ? "available" : "unavailable", last);
    }

    private void onChatState(Node chatState) {
        String author = chatState.attribute("participant").orElse(chatState.attributeOr("from", ""));
        Optional<String> from = person(author);
        Optional<Node> child = chatState.children().stream().findFirst();
        if (from.isEmpty() || child.isEmpty()) {
            return;
        }
        String state = switch (child.get().tag()) {
            case "composing" -> child.get().attributeOr("media", "").equals("audio") ? "recording" : "composing";
            case "paused" -> "paused";
            default -> "";
        };
        if (!state.isEmpty()) {
            Optional<Instant> last = seen(from.get()).flatMap(Seen::lastSeen);
            keep(from.get(), state, last);
        }
    }

    private void keep(String person, String state, Optional<Instant> lastSeen) {
        synchronized (seen) {
            seen.put(person, new Seen(state, lastSeen, clock.instant()));
        }
    }

    /** A person's JID without device; empty for groups, the server and what does not parse. */
    private static Optional<String> person(String text) {
        return Jid.parse(text).filter(jid -> jid.server().equals(Jid.USER_SERVER) || jid.server().equals("lid"))
                .filter(jid -> !jid.user().isEmpty())
                .map(jid -> Jid.device(jid.user(), 0, jid.server()).toString());
    }

    private static Optional<Instant> seconds(String text) {
        try {
            long value = Long.parseLong(text);
            return value > 0 ? Optional.of(Instant.ofEpochSecond(value)) : Optional.empty();
        } catch (NumberFormatException e) {
            return Optional.empty(); // "deny": the person does not share it
        }
    }
}
