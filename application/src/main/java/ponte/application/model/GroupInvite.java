package ponte.application.model;

/** A group's invite: its code and the link that carries it ({@code https://chat.whatsapp.com/<code>}). */
public record GroupInvite(String code, String url) {
    /** The prefix of WhatsApp's group invite links (whatsmeow group.go {@code InviteLinkPrefix}). */
    public static final String LINK_PREFIX = "https://chat.whatsapp.com/";

    public static GroupInvite of(String code) {
        return new GroupInvite(code, LINK_PREFIX + code);
    }
}
