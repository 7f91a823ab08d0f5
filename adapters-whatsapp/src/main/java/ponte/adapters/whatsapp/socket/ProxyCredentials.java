package ponte.adapters.whatsapp.socket;

/** Username and password for a proxy; the password never appears in {@link #toString()}. */
public record ProxyCredentials(String username, String password) {

    public ProxyCredentials {
        if (username.isEmpty() || username.length() > 255 || password.length() > 255) {
            throw new IllegalArgumentException("proxy username must be 1-255 characters and password at most 255");
        }
    }

    @Override
    public String toString() {
        return "ProxyCredentials[username=" + username + ", password=***]";
    }
}
