package ponte.adapters.whatsapp.client;

import java.io.IOException;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Supplier;
import ponte.adapters.whatsapp.binary.Jid;
import ponte.adapters.whatsapp.binary.Node;
import ponte.adapters.whatsapp.store.DeviceAccount;

/**
 * The feature that follows calls (protocol.md §1.19, whatsmeow call.go handleCallEvent): every {@code <call from id
 * t>} stanza carries one signal about a call, named by its {@code call-id}:
 * <ul>
 *   <li>{@code <offer call-id call-creator>[<video/>]} — someone rings us: {@code offer};</li>
 *   <li>{@code <accept call-id call-creator>} — one of our devices (the phone) picked it up: {@code accepted};</li>
 *   <li>{@code <reject call-id call-creator>} — one of our devices turned it down: {@code rejected};</li>
 *   <li>{@code <terminate call-id call-creator>} — the call ended: {@code terminated} when it had been accepted,
 *       {@code missed} when it ended while still ringing; nothing when it had already been rejected (that
 *       ending was announced).</li>
 * </ul>
 * Each is handed over to be kept before the stanza is acked (the inbox acks after the handler returned). The calls
 * seen are remembered in memory (the newest {@link #KEPT}) so that {@link #reject} can name the caller; a restart
 * forgets them, as a ringing call lasts well under a minute. Other children ({@code offer_notice}, {@code relay},
 * {@code transport}…) are acked without an event.
 */
public final class Calls {

    /** How many calls are remembered for a reject: far more than can ring at once. */
    static final int KEPT = 512;

    /** Where a call stands, as far as this device has seen it. */
    public enum State { RINGING, ACCEPTED, REJECTED, ENDED }

    /** A call this device was offered: its id, the caller (call-creator), video or not, and where it stands. */
    public record Call(String callId, String creator, boolean video, State state) {
        Call moved(State next) {
            return new Call(callId, creator, video, next);
        }
    }

    private final Consumer<CompanionEvent.Received> keep;
    private final Inbox.Sender sender;
    private final Supplier<Optional<DeviceAccount>> account;
    private final SecureRandom random;
    private final Map<String, Call> calls = new LinkedHashMap<>(16, 0.75f, false) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Call> eldest) {
            return size() > KEPT;
        }
    };

    Calls(Consumer<CompanionEvent.Received> keep, Inbox.Sender sender, Supplier<Optional<DeviceAccount>> account,
            SecureRandom random) {
        this.keep = keep;
        this.sender = sender;
        this.account = account;
        this.random = random;
    }

    void register(NodeHandlers handlers) {
        handlers.on("call", this::onCall);
    }

    private void onCall(Node call) {
        for (Node signal : call.children()) {
            String callId = signal.attributeOr("call-id", "");
            if (callId.isEmpty()) {
                continue;
            }
            String creator = signal.attributeOr("call-creator", call.attributeOr("from", ""));
            // a signal for a call never offered to us (its offer came while we were unlinked) counts as ringing
            Call before = known(callId).orElse(new Call(callId, creator, false, State.RINGING));
            Optional<Call> after = switch (signal.tag()) {
                case "offer" -> Optional.of(known(callId).orElse(
                        new Call(callId, creator, signal.child("video").isPresent(), State.RINGING)));
                case "accept" -> Optional.of(before.moved(State.ACCEPTED));
                case "reject" -> Optional.of(before.moved(State.REJECTED));
                case "terminate" -> Optional.of(before.moved(State.ENDED));
                default -> Optional.empty();
            };
            if (after.isEmpty()) {
                continue;
            }
            Optional<String> type = switch (signal.tag()) {
                case "offer" -> Optional.of("offer");
                case "accept" -> Optional.of("accepted");
                case "reject" -> before.state() == State.REJECTED ? Optional.empty() : Optional.of("rejected");
                default -> switch (before.state()) {
                    case RINGING -> Optional.of("missed");
                    case ACCEPTED -> Optional.of("terminated");
                    case REJECTED, ENDED -> Optional.<String>empty();
                };
            };
            // moved first, so what keeping the event does (a reject_calls reject) finds the call; when keeping
            // fails the stanza comes again, and must find the call as it was
            Optional<Call> was = known(callId);
            synchronized (calls) {
                calls.put(callId, after.get());
            }
            try {
                type.ifPresent(name -> keep.accept(new CompanionEvent.CallUpdated(call.attributeOr("id", ""), name,
                        callId, after.get().creator(), after.get().video(), seconds(call.attributeOr("t", "")))));
            } catch (RuntimeException e) {
                synchronized (calls) {
                    was.ifPresentOrElse(previous -> calls.put(callId, previous), () -> calls.remove(callId));
                }
                throw e;
            }
        }
    }

    /**
     * Turns down a ringing call: {@code <call id from=<own JID> to=<caller>><reject call-id call-creator=<caller>
     * count="0"/></call>} (protocol.md §1.19). Empty when this device was never offered {@code callId}; the call as it
     * stood before otherwise — a call no longer ringing is left alone (nothing is sent).
     *
     * @throws IOException when the stanza could not be sent (the connection is down)
     */
    Optional<Call> reject(String callId) throws IOException {
        Call call;
        // the call moves to rejected before the stanza goes out, under the lock: of two rejects at once, one sends
        synchronized (calls) {
            Optional<Call> before = Optional.ofNullable(calls.get(callId));
            if (before.isEmpty() || before.get().state() != State.RINGING) {
                return before;
            }
            call = before.get();
            calls.put(callId, call.moved(State.REJECTED));
        }
        try {
            String own = account.get().flatMap(linked -> Jid.parse(linked.jid()))
                    .map(jid -> Jid.device(jid.user(), 0, jid.server()).toString())
                    .orElseThrow(() -> new IOException("the device is not linked"));
            sender.send(Node.withChildren("call", Node.attrs("id", newId(), "from", own, "to", call.creator()),
                    List.of(Node.of("reject", Node.attrs("call-id", call.callId(), "call-creator", call.creator(),
                            "count", "0")))));
        } catch (IOException | RuntimeException e) {
            synchronized (calls) {
                calls.computeIfPresent(callId, (id, now) -> now.state() == State.REJECTED ? call : now);
            }
            throw e;
        }
        return Optional.of(call);
    }

    Optional<Call> known(String callId) {
        synchronized (calls) {
            return Optional.ofNullable(calls.get(callId));
        }
    }

    /** A stanza id in WhatsApp Web's form: {@code 3EB0} and random upper-case hex. */
    private String newId() {
        byte[] bytes = new byte[9];
        random.nextBytes(bytes);
        return "3EB0" + HexFormat.of().withUpperCase().formatHex(bytes);
    }

    private static Optional<Instant> seconds(String text) {
        try {
            return Optional.of(Instant.ofEpochSecond(Long.parseLong(text)));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }
}
