package ponte.adapters.whatsapp.signal;

import com.google.protobuf.InvalidProtocolBufferException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import ponte.adapters.whatsapp.signal.proto.SignalProto.SessionRecordData;
import ponte.adapters.whatsapp.signal.proto.SignalProto.SessionStateData;

/**
 * All sessions with one peer device, as an immutable value with a byte form for storage: the current session
 * (the one we encrypt with) and up to {@link #MAX_PREVIOUS} earlier ones, newest first, kept because a peer may
 * still send on a session we replaced (libsignal keeps 40 archived states: libsignal-node
 * {@code session_record.js CLOSED_SESSIONS_MAX}). The byte form is Ponte's own protobuf, not libsignal's.
 */
public final class SessionRecord {

    static final int MAX_PREVIOUS = 40;

    private final SessionRecordData data;

    private SessionRecord(SessionRecordData data) {
        this.data = data;
    }

    /** A record with no session. */
    public static SessionRecord empty() {
        return new SessionRecord(SessionRecordData.getDefaultInstance());
    }

    /** Reads the form {@link #serialize()} wrote; throws {@link IllegalArgumentException} on other bytes. */
    public static SessionRecord parse(byte[] bytes) {
        try {
            return new SessionRecord(SessionRecordData.parseFrom(bytes));
        } catch (InvalidProtocolBufferException e) {
            throw new IllegalArgumentException("not a serialized session record", e);
        }
    }

    public byte[] serialize() {
        return data.toByteArray();
    }

    /** Whether there is a session to encrypt with. */
    public boolean hasSession() {
        return data.hasCurrent() && data.getCurrent().hasSendingChain();
    }

    /** The peer's registration id in the current session. */
    public Optional<Integer> remoteRegistrationId() {
        return data.hasCurrent() ? Optional.of(data.getCurrent().getRemoteRegistrationId()) : Optional.empty();
    }

    /** The peer's identity in the current session. */
    public Optional<IdentityKey> remoteIdentity() {
        return data.hasCurrent() ? Optional.of(SessionState.fromData(data.getCurrent()).remoteIdentity)
                : Optional.empty();
    }

    /** Whether the next message we encrypt will be a {@code pkmsg} (the peer has not answered yet). */
    public boolean awaitingReply() {
        return data.hasCurrent() && data.getCurrent().hasPendingPreKey();
    }

    /** This record with the current session moved to the archive: the next send needs a new prekey bundle. */
    public SessionRecord archiveCurrent() {
        return data.hasCurrent() ? withCurrent(null) : this;
    }

    SessionState current() {
        return data.hasCurrent() ? SessionState.fromData(data.getCurrent()) : null;
    }

    List<SessionState> previous() {
        List<SessionState> states = new ArrayList<>();
        data.getPreviousList().forEach(state -> states.add(SessionState.fromData(state)));
        return states;
    }

    /** Finds the session a peer's pkmsg set up earlier, by its base key. */
    SessionState sessionWithTheirBaseKey(byte[] baseKey) {
        List<SessionStateData> all = new ArrayList<>();
        if (data.hasCurrent()) {
            all.add(data.getCurrent());
        }
        all.addAll(data.getPreviousList());
        for (SessionStateData state : all) {
            if (!state.getBaseKeyOurs() && Keys.equal(state.getBaseKey().toByteArray(), baseKey)) {
                return SessionState.fromData(state);
            }
        }
        return null;
    }

    /**
     * This record with {@code state} as the current session (none when null). A session with the same base key is
     * replaced, since the state is an updated copy of it; the old current, if different, is archived.
     */
    SessionRecord withCurrent(SessionState state) {
        List<SessionStateData> previous = new ArrayList<>();
        byte[] baseKey = state == null ? null : state.baseKey;
        if (data.hasCurrent() && !sameBase(data.getCurrent(), baseKey)) {
            previous.add(data.getCurrent());
        }
        for (SessionStateData old : data.getPreviousList()) {
            if (!sameBase(old, baseKey)) {
                previous.add(old);
            }
        }
        while (previous.size() > MAX_PREVIOUS) {
            previous.removeLast();
        }
        var builder = SessionRecordData.newBuilder().addAllPrevious(previous);
        if (state != null) {
            builder.setCurrent(state.toData());
        }
        return new SessionRecord(builder.build());
    }

    private static boolean sameBase(SessionStateData state, byte[] baseKey) {
        return baseKey != null && Keys.equal(state.getBaseKey().toByteArray(), baseKey);
    }

    @Override
    public String toString() {
        return "SessionRecord[current=" + data.hasCurrent() + ", previous=" + data.getPreviousCount() + "]";
    }
}
