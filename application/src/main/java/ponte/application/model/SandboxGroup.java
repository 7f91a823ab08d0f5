package ponte.application.model;

import java.util.List;

/**
 * A group of the sandbox network: its JID ({@code …@g.us}), subject and members' phone numbers (digits), the
 * creator first.
 */
public record SandboxGroup(String jid, String subject, List<String> participants) {
    public SandboxGroup {
        participants = List.copyOf(participants);
    }
}
