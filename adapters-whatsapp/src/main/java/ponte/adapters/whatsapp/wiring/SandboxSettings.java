package ponte.adapters.whatsapp.wiring;

/** Where the sandbox's chat socket listens; bootstrap fills it from PONTE_SANDBOX_PORT. */
public record SandboxSettings(String host, int port) {

    public static final int DEFAULT_PORT = 8081;

    public SandboxSettings {
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("sandbox port out of range: " + port);
        }
    }

    public static SandboxSettings loopback(int port) {
        return new SandboxSettings("127.0.0.1", port);
    }
}
