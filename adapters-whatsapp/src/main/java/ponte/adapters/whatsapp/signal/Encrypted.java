package ponte.adapters.whatsapp.signal;

/** An encrypted payload ready for {@code <enc type=… v=2>}: its type and the bytes that go in the node. */
public record Encrypted(MessageType type, byte[] body) {

    public Encrypted {
        body = body.clone();
    }

    @Override
    public byte[] body() {
        return body.clone();
    }
}
