package ponte.application.model;

import java.util.List;

/** What a sandbox phone saw: the messages it received, decrypted, and the receipts for its own, oldest first. */
public record SandboxInbox(List<SandboxMessage> messages, List<SandboxReceipt> receipts) {
    public SandboxInbox {
        messages = List.copyOf(messages);
        receipts = List.copyOf(receipts);
    }
}
