package ponte.adapters.whatsapp.signal;

import java.util.Objects;

/**
 * Whose sender key in which group: the group JID and the sending device's address (protocol.md §1.12). Its text
 * form is {@code group::user[_agent]::device}, as Baileys keys its sender-key store ({@code sender-key-name.js}).
 */
public record SenderKeyName(String groupId, SignalAddress sender) {

    public SenderKeyName {
        if (groupId == null || groupId.isBlank()) {
            throw new IllegalArgumentException("a sender key belongs to a group");
        }
        Objects.requireNonNull(sender);
    }

    @Override
    public String toString() {
        return groupId + "::" + sender.name() + "::" + sender.device();
    }
}
