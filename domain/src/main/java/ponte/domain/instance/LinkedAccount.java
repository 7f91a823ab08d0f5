package ponte.domain.instance;

/** The WhatsApp account an instance is linked to; every field is null until the first pairing. */
public record LinkedAccount(String phoneNumber, String lid, String pushName, String platform) {
    public static final LinkedAccount NONE = new LinkedAccount(null, null, null, null);

    public boolean isLinked() {
        return phoneNumber != null;
    }
}
