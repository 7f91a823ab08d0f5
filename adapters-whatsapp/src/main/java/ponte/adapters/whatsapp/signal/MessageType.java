package ponte.adapters.whatsapp.signal;

/**
 * The Signal message kinds WhatsApp names in {@code <enc type=…>} (protocol.md §1.12, §1.14): {@code pkmsg}
 * (PreKeyWhisperMessage, libsignal type 3), {@code msg} (WhisperMessage, type 2) and {@code skmsg}
 * (SenderKeyMessage, type 4).
 */
public enum MessageType {
    PKMSG("pkmsg"),
    MSG("msg"),
    SKMSG("skmsg");

    private final String wireName;

    MessageType(String wireName) {
        this.wireName = wireName;
    }

    /** The value of the {@code type} attribute of {@code <enc>}. */
    public String wireName() {
        return wireName;
    }

    /** The type an {@code <enc type>} names; throws {@link IllegalArgumentException} for any other value. */
    public static MessageType fromWire(String name) {
        for (MessageType type : values()) {
            if (type.wireName.equals(name)) {
                return type;
            }
        }
        throw new IllegalArgumentException("not a Signal message type: " + name);
    }
}
