package ponte.adapters.whatsapp.sandbox.store;

import java.util.List;
import java.util.Map;

/** The sandbox's groups, kept so a restarted sandbox still has them. */
public interface SandboxGroupStore {

    /**
     * One group: its id (the user part of {@code id@g.us}), subject, creator's phone number, creation time in epoch
     * seconds, addressing mode ({@code pn} or {@code lid}), members by phone number with their roles, in join order,
     * its description (empty for none) and that description's id, the announce and locked settings and its invite
     * code (null until an admin asked for one).
     */
    record StoredGroup(String id, String subject, String creator, long creation, String addressingMode,
                       Map<String, String> members, String description, String descriptionId, boolean announce,
                       boolean locked, String inviteCode) {
    }

    /** Writes the group as it is now: its members replace those kept before. */
    void saveGroup(StoredGroup group);

    /** Forgets the group and its members (the last member left). */
    void deleteGroup(String id);

    /** Every group kept. */
    List<StoredGroup> groups();
}
