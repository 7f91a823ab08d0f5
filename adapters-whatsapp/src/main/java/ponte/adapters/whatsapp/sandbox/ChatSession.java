package ponte.adapters.whatsapp.sandbox;

import com.google.protobuf.InvalidProtocolBufferException;
import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import ponte.adapters.whatsapp.binary.Jid;
import ponte.adapters.whatsapp.binary.Node;
import ponte.adapters.whatsapp.crypto.XEdDsa;
import ponte.adapters.whatsapp.proto.Wire.ClientPayload;

/**
 * What the sandbox says to one authenticated client: pair-device refs to a registration, success or failure to
 * a login, a result or an error to every IQ (never silence), and periodic pings once logged in.
 */
final class ChatSession {

    private static final String SERVER = Stanzas.SERVER;
    private static final byte SIGNAL_KEY_TYPE = 5;

    private final SandboxContext context;
    private final SandboxEndpoint endpoint;
    private final byte[] clientStatic;
    private final AtomicLong ids = new AtomicLong();
    private final List<ScheduledFuture<?>> timers = new ArrayList<>();
    private String onlineAs;

    ChatSession(SandboxContext context, SandboxEndpoint endpoint, byte[] clientStatic) {
        this.context = context;
        this.endpoint = endpoint;
        this.clientStatic = clientStatic.clone();
    }

    void start(byte[] payloadBytes) {
        ClientPayload payload;
        try {
            payload = ClientPayload.parseFrom(payloadBytes);
        } catch (InvalidProtocolBufferException e) {
            fail(400);
            return;
        }
        long revision = Integer.toUnsignedLong(payload.getUserAgent().getAppVersion().getTertiary());
        if (revision < context.options().minimumClientRevision()) {
            fail(405);
        } else if (payload.hasDevicePairingData()) {
            register(payload.getDevicePairingData());
        } else if (payload.hasUsername()) {
            login(Long.toUnsignedString(payload.getUsername()), payload.getDevice());
        } else {
            fail(400);
        }
    }

    void receive(Node node) {
        if (context.phones().receive(endpoint, onlineAs(), node)) {
            return;
        }
        if (!node.tag().equals("iq")) {
            return;
        }
        String type = node.attributeOr("type", "");
        if (type.equals("result") || type.equals("error")) {
            return;
        }
        String id = node.attributeOr("id", "");
        String xmlns = node.attributeOr("xmlns", "");
        if ((type.equals("get") && (xmlns.equals("w:p") || xmlns.equals("urn:xmpp:ping")))
                || (type.equals("set") && xmlns.equals("passive"))) {
            endpoint.send(Stanzas.result(id, List.of()));
        } else if (type.equals("set") && xmlns.equals("w:m") && node.child("media_conn").isPresent()
                && onlineAs() != null) {
            String user = Jid.parse(onlineAs()).map(jid -> jid.user() + "@" + jid.server()).orElse(onlineAs());
            endpoint.send(context.media().mediaConn(id, user));
        } else {
            endpoint.send(Stanzas.error(id, 501, "feature-not-implemented"));
        }
    }

    synchronized void closed() {
        context.phones().closed(endpoint);
        timers.forEach(timer -> timer.cancel(false));
        if (onlineAs != null) {
            context.online().remove(onlineAs, endpoint);
        }
    }

    private void register(ClientPayload.DevicePairingRegistrationData data) {
        byte[] identity = data.getEIdent().toByteArray();
        byte[] signedPreKey = data.getESkeyVal().toByteArray();
        if (data.getERegid().size() != 4 || identity.length != 32 || signedPreKey.length != 32) {
            fail(400);
            return;
        }
        // the identity signs the prekey in Signal's serialised form: type byte 5, then the key
        byte[] signedMessage = ByteBuffer.allocate(33).put(SIGNAL_KEY_TYPE).put(signedPreKey).array();
        if (!XEdDsa.verify(identity, signedMessage, data.getESkeySig().toByteArray())) {
            fail(400);
            return;
        }
        Instant now = context.clock().instant();
        context.store().saveRegistration(clientStatic, identity, data.getERegid().asReadOnlyByteBuffer().getInt(),
                now);
        PairingRefs refs = PairingRefs.issue(context.random(), now, context.options().firstRefLifetime(),
                context.options().laterRefLifetime());
        List<Node> refNodes = refs.refs().stream()
                .map(ref -> Node.withBytes("ref", Map.of(), ref.getBytes(java.nio.charset.StandardCharsets.UTF_8)))
                .toList();
        context.phones().awaitScan(endpoint, refs, clientStatic, identity);
        endpoint.send(Node.withChildren("iq", Node.attrs("from", SERVER, "type", "set", "id", nextId(),
                "xmlns", "md"), List.of(Node.withChildren("pair-device", Map.of(), refNodes))));
        long untilExpiry = refs.expiresAt().toEpochMilli() - now.toEpochMilli();
        schedule(endpoint::hangUp, untilExpiry);
    }

    private void login(String phone, int device) {
        var known = context.store().device(phone, device);
        if (known.isEmpty() || !MessageDigest.isEqual(known.get().noisePublic(), clientStatic)) {
            fail(401);
            return;
        }
        String jid = Jid.device(phone, device, SERVER).toString();
        synchronized (this) {
            onlineAs = jid;
        }
        SandboxEndpoint previous = context.online().put(jid, endpoint);
        if (previous != null && previous != endpoint) {
            context.replaced().incrementAndGet();
            previous.send(Node.withChildren("stream:error", Map.of(),
                    List.of(Node.of("conflict", Node.attrs("type", "replaced")))));
            previous.hangUp();
        }
        endpoint.send(Node.of("success", Node.attrs(
                "t", Long.toString(context.clock().instant().getEpochSecond()),
                "lid", known.get().lid() + "@" + Jid.LID_SERVER,
                "location", "sandbox")));
        context.phones().loggedIn(Jid.device(phone, device, SERVER), endpoint);
        long interval = context.options().pingInterval().toMillis();
        synchronized (this) {
            timers.add(context.timers().scheduleAtFixedRate(() -> endpoint.send(Node.of("iq", Node.attrs(
                    "from", SERVER, "type", "get", "xmlns", "urn:xmpp:ping", "id", nextId()))),
                    interval, interval, TimeUnit.MILLISECONDS));
        }
    }

    private synchronized String onlineAs() {
        return onlineAs;
    }

    private void fail(int reason) {
        endpoint.send(Node.of("failure", Node.attrs("reason", Integer.toString(reason), "location", "sandbox")));
        endpoint.hangUp();
    }

    private synchronized void schedule(Runnable task, long delayMillis) {
        timers.add(context.timers().schedule(task, Math.max(0, delayMillis), TimeUnit.MILLISECONDS));
    }

    private String nextId() {
        return "sbx-" + ids.incrementAndGet();
    }
}
