package ponte.adapters.whatsapp.binary;

import java.util.Optional;

/**
 * A WhatsApp address in its text form {@code user[_agent][:device]@server}, or
 * {@code integrator-user:device@interop} for interop users. The node codec writes attribute values that parse as
 * JIDs in their compact binary forms, as WhatsApp Web does.
 */
public record Jid(String user, int agent, int device, boolean hasDevice, int integrator, String server) {

    public static final String USER_SERVER = "s.whatsapp.net";
    public static final String LID_SERVER = "lid";
    public static final String HOSTED_SERVER = "hosted";
    public static final String HOSTED_LID_SERVER = "hosted.lid";
    public static final String MESSENGER_SERVER = "msgr";
    public static final String INTEROP_SERVER = "interop";

    public static Jid device(String user, int device, String server) {
        return new Jid(user, 0, device, true, 0, server);
    }

    /** Splits text the way WhatsApp Web does; empty when it has no {@code @} or a malformed number. */
    public static Optional<Jid> parse(String text) {
        int at = text.indexOf('@');
        if (at < 0) {
            return Optional.empty();
        }
        String server = text.substring(at + 1);
        String[] userAndDevice = text.substring(0, at).split(":", -1);
        String[] userAndAgent = userAndDevice[0].split("_", -1);
        try {
            int agent = userAndAgent.length > 1 && !userAndAgent[1].isEmpty() ? Integer.parseInt(userAndAgent[1]) : 0;
            boolean hasDevice = userAndDevice.length > 1;
            int device = hasDevice && !userAndDevice[1].isEmpty() ? Integer.parseInt(userAndDevice[1]) : 0;
            String user = userAndAgent[0];
            int integrator = 0;
            int dash = user.indexOf('-');
            if (server.equals(INTEROP_SERVER) && dash > 0) {
                integrator = Integer.parseInt(user.substring(0, dash));
                user = user.substring(dash + 1);
            }
            boolean wide = server.equals(MESSENGER_SERVER) || server.equals(INTEROP_SERVER);
            if (agent < 0 || agent > 255 || device < 0 || device > (wide ? 0xffff : 0xff)
                    || integrator < 0 || integrator > 0xffff) {
                return Optional.empty();
            }
            return Optional.of(new Jid(user, agent, device, hasDevice, integrator, server));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }

    /** The AD-JID domain byte: the server is implied by it (whatsmeow types/jid.go, Baileys WAJIDDomains). */
    int domain() {
        return switch (server) {
            case LID_SERVER -> 1;
            case HOSTED_SERVER -> 128;
            case HOSTED_LID_SERVER -> 129;
            default -> agent;
        };
    }

    static String serverForDomain(int domain) {
        return switch (domain) {
            case 1 -> LID_SERVER;
            case 128 -> HOSTED_SERVER;
            case 129 -> HOSTED_LID_SERVER;
            default -> USER_SERVER;
        };
    }

    @Override
    public String toString() {
        return switch (server) {
            case MESSENGER_SERVER -> user + ":" + device + "@" + server;
            case INTEROP_SERVER -> integrator + "-" + user + ":" + device + "@" + server;
            default -> user + (agent != 0 ? "_" + agent : "") + (hasDevice && device != 0 ? ":" + device : "")
                    + "@" + server;
        };
    }
}
