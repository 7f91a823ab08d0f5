package ponte.adapters.whatsapp.signal;

import java.util.regex.Pattern;
import ponte.adapters.whatsapp.binary.Jid;

/**
 * The Signal address of one device: {@code user[_agent].device}, e.g. {@code 5511987654321.0} for a phone's
 * primary device or {@code 987654321_1.3} for device 3 of a LID user. The agent is WhatsApp's domain type (0 for
 * {@code s.whatsapp.net}, 1 for {@code lid}, 128/129 for hosted) and is written only when it is not 0
 * (protocol.md §1.12; Baileys {@code jidToSignalProtocolAddress}, whatsmeow {@code JID.SignalAddress}).
 */
public record SignalAddress(String user, int agent, int device) {

    /** The agent of a LID user's devices ({@code lid} domain): their addresses read {@code lid_1.device}. */
    public static final int LID_AGENT = 1;

    private static final Pattern USER = Pattern.compile("[0-9A-Za-z-]+");
    private static final Pattern FORM = Pattern.compile("([0-9A-Za-z-]+)(?:_([0-9]{1,3}))?\\.([0-9]{1,5})");

    public SignalAddress {
        if (user == null || !USER.matcher(user).matches()) {
            throw new IllegalArgumentException("a Signal address user is letters, digits or '-', got " + user);
        }
        if (agent < 0 || agent > 255) {
            throw new IllegalArgumentException("the agent is 0..255, got " + agent);
        }
        if (device < 0 || device > 65535) {
            throw new IllegalArgumentException("the device is 0..65535, got " + device);
        }
    }

    /** A device of a phone-number user ({@code s.whatsapp.net}, agent 0). */
    public static SignalAddress of(String user, int device) {
        return new SignalAddress(user, 0, device);
    }

    /**
     * The address of a device JID: the agent is the JID's domain ({@code lid} 1, {@code hosted} 128,
     * {@code hosted.lid} 129, else the JID's own agent), a JID without a device is device 0 (Baileys
     * {@code jidToSignalProtocolAddress}, whatsmeow {@code JID.SignalAddressUser}).
     */
    public static SignalAddress of(Jid jid) {
        int agent = switch (jid.server()) {
            case Jid.LID_SERVER -> LID_AGENT;
            case Jid.HOSTED_SERVER -> 128;
            case Jid.HOSTED_LID_SERVER -> 129;
            default -> jid.agent();
        };
        return new SignalAddress(jid.user(), agent, jid.device());
    }

    /** Reads {@code user[_agent].device}; throws {@link IllegalArgumentException} on any other shape. */
    public static SignalAddress parse(String text) {
        var matcher = text == null ? null : FORM.matcher(text);
        if (matcher == null || !matcher.matches()) {
            throw new IllegalArgumentException("not a Signal address (user[_agent].device): " + text);
        }
        int agent = matcher.group(2) == null ? 0 : Integer.parseInt(matcher.group(2));
        return new SignalAddress(matcher.group(1), agent, Integer.parseInt(matcher.group(3)));
    }

    /** {@code user[_agent]}: the part before the dot, the key WhatsApp groups a user's devices under. */
    public String name() {
        return agent == 0 ? user : user + "_" + agent;
    }

    @Override
    public String toString() {
        return name() + "." + device;
    }
}
