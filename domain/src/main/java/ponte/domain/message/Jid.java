package ponte.domain.message;

import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * A WhatsApp address as the API shows it: {@code user[_agent][:device]@server}.
 *
 * <p>Servers (protocol.md §1.5 "JIDs", from whatsmeow {@code types/jid.go} and Baileys {@code jid-utils.ts}):
 * {@value #PHONE_SERVER} (an account named by its phone number, "PN"), {@value #LID_SERVER} (the same kind of account
 * named by its opaque linked identity, "LID"), {@value #GROUP_SERVER} (a group), {@value #BROADCAST_SERVER}
 * ({@code status@broadcast} and broadcast lists), {@value #NEWSLETTER_SERVER} (a channel), and {@value #HOSTED_SERVER}
 * / {@value #HOSTED_LID_SERVER} (accounts hosted by the Cloud API). The agent ({@code _1}) and device ({@code :3})
 * appear only on PN and LID addresses of one device; device 0 is the phone and is written without {@code :0}.
 *
 * <p>This is the domain's value; adapters-whatsapp keeps its own wire JID (with the messenger and interop forms the
 * codec needs) and converts at its edge through {@link #toString()} and {@link #parse(String)}.
 */
public record Jid(String user, int agent, int device, String server) {
    public static final String PHONE_SERVER = "s.whatsapp.net";
    public static final String LID_SERVER = "lid";
    public static final String GROUP_SERVER = "g.us";
    public static final String BROADCAST_SERVER = "broadcast";
    public static final String NEWSLETTER_SERVER = "newsletter";
    public static final String HOSTED_SERVER = "hosted";
    public static final String HOSTED_LID_SERVER = "hosted.lid";

    private static final Set<String> SERVERS = Set.of(PHONE_SERVER, LID_SERVER, GROUP_SERVER, BROADCAST_SERVER,
            NEWSLETTER_SERVER, HOSTED_SERVER, HOSTED_LID_SERVER);
    private static final Set<String> DEVICE_SERVERS = Set.of(PHONE_SERVER, LID_SERVER, HOSTED_SERVER,
            HOSTED_LID_SERVER);
    private static final Pattern DIGITS = Pattern.compile("[0-9]{1,32}");
    // groups: "120363…" today, "<creator number>-<unix seconds>" for groups made before 2022
    private static final Pattern GROUP_USER = Pattern.compile("[0-9]{1,32}(-[0-9]{1,20})?");
    private static final Pattern BROADCAST_USER = Pattern.compile("status|[0-9]{1,32}");
    private static final Pattern TEXT = Pattern.compile(
            "([0-9A-Za-z-]+?)(?:_([0-9]{1,3}))?(?::([0-9]{1,3}))?@([a-z.]+)");

    public Jid {
        Objects.requireNonNull(user, "user");
        Objects.requireNonNull(server, "server");
        if (!SERVERS.contains(server)) {
            throw new IllegalArgumentException("unknown JID server: " + server);
        }
        var userShape = switch (server) {
            case GROUP_SERVER -> GROUP_USER;
            case BROADCAST_SERVER -> BROADCAST_USER;
            default -> DIGITS;
        };
        if (!userShape.matcher(user).matches()) {
            throw new IllegalArgumentException("not a user of " + server + ": " + user);
        }
        if (agent < 0 || agent > 255 || device < 0 || device > 255) {
            throw new IllegalArgumentException("agent and device are 0-255");
        }
        if ((agent != 0 || device != 0) && !DEVICE_SERVERS.contains(server)) {
            throw new IllegalArgumentException(server + " addresses have no agent or device");
        }
    }

    /** The phone-number JID of an account: {@code <digits>@s.whatsapp.net}. */
    public static Jid phone(String digits) {
        return new Jid(digits, 0, 0, PHONE_SERVER);
    }

    /** The LID of an account: {@code <digits>@lid}. */
    public static Jid lid(String digits) {
        return new Jid(digits, 0, 0, LID_SERVER);
    }

    /** A group: {@code <id>@g.us}. */
    public static Jid group(String id) {
        return new Jid(id, 0, 0, GROUP_SERVER);
    }

    /** Reads the text form; empty when it is not a JID of a known server with a user of that server's shape. */
    public static Optional<Jid> parse(String text) {
        if (text == null) {
            return Optional.empty();
        }
        var m = TEXT.matcher(text);
        if (!m.matches()) {
            return Optional.empty();
        }
        try {
            int agent = m.group(2) == null ? 0 : Integer.parseInt(m.group(2));
            int device = m.group(3) == null ? 0 : Integer.parseInt(m.group(3));
            return Optional.of(new Jid(m.group(1), agent, device, m.group(4)));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    /** An account named by its phone number ({@value #PHONE_SERVER}). */
    public boolean isPhone() {
        return server.equals(PHONE_SERVER);
    }

    /** An account named by its LID ({@value #LID_SERVER}). */
    public boolean isLid() {
        return server.equals(LID_SERVER);
    }

    /** A group ({@value #GROUP_SERVER}). */
    public boolean isGroup() {
        return server.equals(GROUP_SERVER);
    }

    /** A broadcast list or {@code status@broadcast}. */
    public boolean isBroadcast() {
        return server.equals(BROADCAST_SERVER);
    }

    /** {@code status@broadcast}: where WhatsApp's status updates (stories) are posted. */
    public boolean isStatusBroadcast() {
        return server.equals(BROADCAST_SERVER) && user.equals("status");
    }

    /** A channel ({@value #NEWSLETTER_SERVER}). */
    public boolean isNewsletter() {
        return server.equals(NEWSLETTER_SERVER);
    }

    /** True when this names one device (or agent) of an account rather than the account. */
    public boolean hasDevice() {
        return agent != 0 || device != 0;
    }

    /** The account this device belongs to: the same user and server without agent and device. */
    public Jid toNonDevice() {
        return hasDevice() ? new Jid(user, 0, 0, server) : this;
    }

    @Override
    public String toString() {
        return user + (agent != 0 ? "_" + agent : "") + (device != 0 ? ":" + device : "") + "@" + server;
    }
}
