package ponte.adapters.whatsapp.client;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import ponte.adapters.whatsapp.binary.Jid;
import ponte.adapters.whatsapp.binary.Node;
import ponte.adapters.whatsapp.store.LidMappingStore;

/**
 * The feature that knows which phone number (PN) and which LID name the same account (protocol.md §1.13): kept in
 * the device store ({@link LidMappingStore}) and cached here, fed by pair-success and login (our own account), usync
 * answers ({@link DeviceLists}, {@link Contacts}) and the attributes of incoming stanzas ({@code sender_lid},
 * {@code sender_pn}, {@code participant_lid}, {@code participant_pn}, {@code peer_recipient_lid},
 * {@code peer_recipient_pn}; whatsmeow message.go {@code parseMessageSource}).
 *
 * <p>{@link LidSessions} uses it so that a phone number, a PN JID and an {@code @lid} JID reach the same person
 * under one Signal session, the LID one.
 */
final class LidMappings {

    private static final System.Logger LOG = System.getLogger(LidMappings.class.getName());
    /** Pairs of attributes that name one party in both forms, as WhatsApp puts them on a stanza. */
    private static final List<String[]> ATTRIBUTE_PAIRS = List.of(
            new String[] {"from", "sender_lid"}, new String[] {"from", "sender_pn"},
            new String[] {"participant", "participant_lid"}, new String[] {"participant", "participant_pn"},
            new String[] {"recipient", "peer_recipient_lid"}, new String[] {"recipient", "peer_recipient_pn"});

    /** Runs what learns from an IQ answer on a virtual thread of its own, not on the socket's reader thread. */
    static final java.util.concurrent.Executor OFF_READER = task -> Thread.ofVirtual().name("wa-lids").start(task);

    private final UUID deviceId;
    private final LidMappingStore store;
    private final Map<String, String> lidByPhone = new ConcurrentHashMap<>();
    private final Map<String, String> phoneByLid = new ConcurrentHashMap<>();

    LidMappings(UUID deviceId, LidMappingStore store) {
        this.deviceId = deviceId;
        this.store = store;
    }

    /** Keeps that these two JIDs (one PN, one LID, in either order; devices ignored) name one account. */
    void learn(Jid one, Jid other) {
        Jid pn = one.server().equals(Jid.USER_SERVER) ? one : other;
        Jid lid = one.server().equals(Jid.LID_SERVER) ? one : other;
        if (!pn.server().equals(Jid.USER_SERVER) || !lid.server().equals(Jid.LID_SERVER) || pn.user().isEmpty()
                || lid.user().isEmpty()) {
            return;
        }
        if (lid.user().equals(lidByPhone.get(pn.user())) && pn.user().equals(phoneByLid.get(lid.user()))) {
            return;
        }
        try {
            store.saveLidMapping(deviceId, pn.user(), lid.user());
        } catch (RuntimeException e) {
            // a mapping is a hint: losing one costs a usync query later, never a message
            LOG.log(System.Logger.Level.WARNING, "could not keep a PN-LID mapping", e);
            return;
        }
        Optional.ofNullable(lidByPhone.put(pn.user(), lid.user())).filter(old -> !old.equals(lid.user()))
                .ifPresent(phoneByLid::remove);
        Optional.ofNullable(phoneByLid.put(lid.user(), pn.user())).filter(old -> !old.equals(pn.user()))
                .ifPresent(lidByPhone::remove);
    }

    /** As {@link #learn(Jid, Jid)}, from JID texts; anything that does not parse is ignored. */
    void learn(String one, String other) {
        if (one == null || other == null) {
            return;
        }
        Jid.parse(one).ifPresent(a -> Jid.parse(other).ifPresent(b -> learn(a, b)));
    }

    /** Learns what an incoming stanza's attributes say about its parties. */
    void learnFrom(Node stanza) {
        for (String[] pair : ATTRIBUTE_PAIRS) {
            stanza.attribute(pair[0]).ifPresent(named -> stanza.attribute(pair[1])
                    .ifPresent(alternative -> learn(named, alternative)));
        }
    }

    /** The LID user of a phone number, when known. */
    Optional<String> lidOf(String phoneUser) {
        return Optional.ofNullable(lidByPhone.get(phoneUser)).or(() -> store.lidOf(deviceId, phoneUser)
                .map(lid -> remember(phoneUser, lid, true)));
    }

    /** The phone number of a LID user, when known. */
    Optional<String> phoneOf(String lidUser) {
        return Optional.ofNullable(phoneByLid.get(lidUser)).or(() -> store.phoneOf(deviceId, lidUser)
                .map(pn -> remember(pn, lidUser, false)));
    }

    private String remember(String pn, String lid, boolean returnLid) {
        lidByPhone.put(pn, lid);
        phoneByLid.put(lid, pn);
        return returnLid ? lid : pn;
    }
}
