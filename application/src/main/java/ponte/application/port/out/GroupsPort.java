package ponte.application.port.out;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import ponte.application.model.Group;
import ponte.domain.message.Jid;

/**
 * What the group use cases ask of the WhatsApp engine that runs an instance's session on this node: its groups'
 * metadata and the {@code w:g2} changes (protocol.md §1.14, §1.21). Every call names the instance by id and waits at
 * most {@code wait} for WhatsApp's answer. Failures: {@link MessagingPort.Offline} when the instance has no live
 * session here (nothing was asked); {@link Rejected} when WhatsApp refused the request (nothing changed); an
 * {@link ponte.application.error.UnavailableException} when WhatsApp did not answer in time (the outcome is
 * unknown).
 */
public interface GroupsPort {

    /** The groups the account is in. */
    List<Group> groups(UUID instanceId, Duration wait);

    /** The group's metadata; empty when it does not exist or the account is not in it. */
    Optional<Group> metadata(UUID instanceId, Jid group, Duration wait);

    /**
     * Creates a group named {@code subject} with these accounts; the account is its superadmin. WhatsApp answers
     * per participant: those it did not add (403 their privacy settings, 404 no such account) are in
     * {@link Created#refused()}, named as in {@link #participants}.
     */
    Created create(UUID instanceId, String subject, List<Jid> participants, Duration wait);

    /** A created group, and the asked participants WhatsApp did not add to it. */
    record Created(Group group, List<ParticipantOutcome> refused) {
        public Created {
            refused = List.copyOf(refused);
        }
    }

    /** Applies one change to the group's subject, description or settings. */
    void change(UUID instanceId, Jid group, Change change, Duration wait);

    /** A change of a group's metadata. */
    sealed interface Change {
        /** A new name. */
        record Subject(String subject) implements Change {}

        /** A new description; an empty one deletes it. */
        record Description(String description) implements Change {}

        /** Only admins may send ({@code true}), or everyone. */
        record Announce(boolean announce) implements Change {}

        /** Only admins may edit the group's info ({@code true}), or everyone. */
        record Locked(boolean locked) implements Change {}
    }

    /** The participants actions of WhatsApp's {@code w:g2} IQ. */
    enum ParticipantAction {
        ADD, REMOVE, PROMOTE, DEMOTE;

        public String wire() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    /**
     * Adds, removes, promotes or demotes these accounts; one outcome per participant WhatsApp answered for, naming it
     * by the JID it uses (the asked one, or its LID in a LID-addressed group: {@code other} is then the asked form).
     */
    List<ParticipantOutcome> participants(UUID instanceId, Jid group, ParticipantAction action, List<Jid> participants,
                                          Duration wait);

    /** One participant's outcome: {@code status} 200 when applied, else WhatsApp's code for it (403, 404, 408, 409). */
    record ParticipantOutcome(Jid jid, Optional<Jid> other, int status) {}

    /** The group's invite code. */
    String inviteCode(UUID instanceId, Jid group, Duration wait);

    /** Joins the group of this invite code; returns its JID. */
    Jid join(UUID instanceId, String code, Duration wait);

    /** Leaves the group. */
    void leave(UUID instanceId, Jid group, Duration wait);

    /**
     * WhatsApp refused the request; {@code code} is its IQ error code: 400 malformed, 401 or 403 not allowed (not an
     * admin, or not a member), 404 no such group (or not in it), 406 an invalid invite code, 410 a revoked one.
     */
    final class Rejected extends RuntimeException {
        private final int code;

        public Rejected(int code, String message) {
            super(message);
            this.code = code;
        }

        public int code() {
            return code;
        }
    }
}
