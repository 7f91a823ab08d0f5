package ponte.adapters.whatsapp.sandbox;

import java.security.SecureRandom;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import ponte.adapters.whatsapp.binary.Node;
import ponte.adapters.whatsapp.sandbox.store.SandboxPhoneStore;
import ponte.adapters.whatsapp.sandbox.store.VirtualPhone;
import ponte.adapters.whatsapp.binary.Jid;

/**
 * The sandbox phones' app state (protocol.md §1.17): what each phone's user does to its address book, chat settings
 * and labels, announced to its companions as {@code server_sync} notifications, and the {@code w:sync:app:state}
 * answers they fetch. Kept in memory, per phone.
 */
public final class PhoneAppStates {
    private final VirtualPhones phones;
    private final SandboxPhoneStore store;
    private final MessageRouter router;
    private final Clock clock;
    private final SecureRandom random;
    private final Map<String, PhoneAppState> states = new ConcurrentHashMap<>();
    private final AtomicLong syncNotices = new AtomicLong();

    PhoneAppStates(VirtualPhones phones, SandboxPhoneStore store, MessageRouter router, Clock clock,
                   SecureRandom random) {
        this.phones = phones;
        this.store = store;
        this.router = router;
        this.clock = clock;
        this.random = random;
    }

    /** The phone's app state (address book, chat settings, labels), made on first use; in memory only. */
    PhoneAppState of(VirtualPhone account) {
        return states.computeIfAbsent(account.phone(), phone -> new PhoneAppState(clock, random));
    }

    /**
     * Changes what the phone's app state holds and tells its companions: a {@code <notification type="server_sync">
     * <collection name version/></notification>} (protocol.md §1.21), after which they fetch the new patches. Empty
     * when nothing changed.
     */
    private <T> T changeAppState(String phone, java.util.function.Function<PhoneAppState, T> change) {
        VirtualPhone account = phones.existing(phone);
        T result = change.apply(of(account));
        List<PhoneAppState.Change> changes = result instanceof PhoneAppState.Change one ? List.of(one)
                : result instanceof Optional<?> maybe && maybe.orElse(null) instanceof PhoneAppState.Change one
                ? List.of(one) : List.of();
        for (PhoneAppState.Change done : changes) {
            String id = "sbx-sync-" + syncNotices.incrementAndGet();
            Node notification = Node.withChildren("notification", Node.attrs("from",
                    Jid.device(account.phone(), 0, Jid.USER_SERVER).toString(), "type", "server_sync", "id", id,
                    "t", Long.toString(clock.instant().getEpochSecond())), List.of(Node.of("collection",
                    Node.attrs("name", done.collection(), "version", Long.toString(done.version())))));
            phones.deviceIds(account).stream().filter(device -> device != 0)
                    .forEach(device -> router.deliver(account, device, "notification|" + id + "|", notification));
        }
        return result;
    }

    /** The phone's user saves {@code jid} (a PN JID) in the address book under {@code fullName}, or renames it. */
    public void saveContact(String phone, String jid, String fullName) {
        changeAppState(phone, state -> state.saveContact(jid, fullName));
    }

    /** The phone's user deletes a contact from the address book; false when it was not saved. */
    public boolean deleteContact(String phone, String jid) {
        return changeAppState(phone, state -> state.deleteContact(jid)).isPresent();
    }

    /** The phone's address book: full name by JID. */
    public Map<String, String> addressBook(String phone) {
        return of(phones.existing(phone)).contacts();
    }

    /** The phone's user archives a chat (a user or group JID), or takes it out of the archive. */
    public void archiveChat(String phone, String chat, boolean archived) {
        changeAppState(phone, state -> state.archive(chat, archived));
    }

    public void pinChat(String phone, String chat, boolean pinned) {
        changeAppState(phone, state -> state.pin(chat, pinned));
    }

    /** Mutes a chat until {@code untilMillis} (ms since the epoch; -1 for ever), or unmutes it with 0. */
    public void muteChat(String phone, String chat, long untilMillis) {
        changeAppState(phone, state -> state.mute(chat, untilMillis));
    }

    /** Creates or edits a label (business accounts): its id, name and colour index (0-19). */
    public void editLabel(String phone, String id, String name, int color) {
        changeAppState(phone, state -> state.editLabel(id, name, color, false));
    }

    /** Deletes a label; false when the phone has no such label. */
    public boolean deleteLabel(String phone, String id) {
        return changeAppState(phone, state -> {
            var label = state.labels().get(id);
            return label == null ? Optional.<PhoneAppState.Change>empty()
                    : Optional.of(state.editLabel(id, label.getName(), label.getColor(), true));
        }).isPresent();
    }

    /** Puts a label on a chat ({@code labeled}) or takes it off. */
    public void labelChat(String phone, String id, String chat, boolean labeled) {
        changeAppState(phone, state -> state.labelChat(id, chat, labeled));
    }

    /** Puts a label on one message of a chat, or takes it off. */
    public void labelMessage(String phone, String id, String chat, String messageId, boolean labeled) {
        changeAppState(phone, state -> state.labelMessage(id, chat, messageId, labeled));
    }

    /** The phone's labels now: {@code [name, color]} by id. */
    public Map<String, Map.Entry<String, Integer>> labels(String phone) {
        Map<String, Map.Entry<String, Integer>> labels = new java.util.LinkedHashMap<>();
        of(phones.existing(phone)).labels().forEach((id, label) -> labels.put(id,
                Map.entry(label.getName(), label.getColor())));
        return labels;
    }

    /** {@code <iq xmlns="w:sync:app:state" type="set"><sync><collection …/>…</sync></iq>} from a companion. */
    void answer(SandboxEndpoint endpoint, Jid self, String id, Node query) {
        Optional<VirtualPhone> account = store.phone(self.user());
        Optional<Node> sync = query.child("sync");
        if (account.isEmpty() || sync.isEmpty()) {
            endpoint.send(Stanzas.error(id, 400, "bad-request"));
            return;
        }
        PhoneAppState state = of(account.get());
        List<Node> answers = sync.get().children().stream().filter(child -> child.tag().equals("collection"))
                .map(state::answer).toList();
        endpoint.send(Stanzas.result(id, List.of(Node.withChildren("sync", Map.of(), answers))));
    }
}
