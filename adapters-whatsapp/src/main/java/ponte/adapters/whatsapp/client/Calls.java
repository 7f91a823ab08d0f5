package ponte.adapters.whatsapp.client;

import java.time.Instant;
import java.util.Optional;
import java.util.function.Consumer;
import ponte.adapters.whatsapp.binary.Node;

/**
 * The feature that receives calls: an offer ({@code <call from id t><offer call-id call-creator>[<video/>]}, wm
 * call.go handleCallEvent) is handed over to be kept before the {@code <call>} stanza is acked (the inbox acks after
 * the handler returned). Other call signals (offer notices, terminations) are acked without being kept, for now.
 */
final class Calls {

    private final Consumer<CompanionEvent.Received> keep;

    Calls(Consumer<CompanionEvent.Received> keep) {
        this.keep = keep;
    }

    void register(NodeHandlers handlers) {
        handlers.on("call", this::onCall);
    }

    private void onCall(Node call) {
        call.child("offer").ifPresent(offer -> keep.accept(new CompanionEvent.CallOffered(
                call.attributeOr("id", ""),
                offer.attributeOr("call-id", ""),
                offer.attributeOr("call-creator", call.attributeOr("from", "")),
                offer.child("video").isPresent(),
                seconds(call.attributeOr("t", "")))));
    }

    private static Optional<Instant> seconds(String text) {
        try {
            return Optional.of(Instant.ofEpochSecond(Long.parseLong(text)));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }
}
