package ponte.adapters.whatsapp.socket;

/** The two keys of an established Noise socket, seen from one side. */
public record TransportKeys(byte[] writeKey, byte[] readKey) {

    public TransportCipher writer() {
        return new TransportCipher(writeKey);
    }

    public TransportCipher reader() {
        return new TransportCipher(readKey);
    }
}
