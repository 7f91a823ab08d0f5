package ponte.adapters.whatsapp.client;

import java.io.IOException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Supplier;
import ponte.adapters.whatsapp.binary.Node;
import ponte.adapters.whatsapp.store.DeviceAccount;
import ponte.domain.message.Jid;
import ponte.domain.message.MessageId;
import ponte.domain.message.MessageStatus;

/**
 * The feature for receipts about messages (protocol.md §1.15; whatsmeow receipt.go):
 * <ul>
 *   <li>read receipts this device sends for messages it received: {@code <receipt type=read id=first to=chat
 *       [participant] t><list><item id/>…</list></receipt>}, the first id in the attribute and the rest listed
 *       ({@code MarkRead});</li>
 *   <li>receipts peers send for messages this account sent: {@code <receipt from id t [type] [participant]>
 *       [<list><item id/>…</list>]</receipt>}, no type meaning delivered ({@code inactive}: delivered to a device
 *       that is not in use), {@code read}, {@code played}; handed to the listener as a
 *       {@link CompanionEvent.ReceiptReceived} before the inbox acks it (a throw leaves it unacked, and the server
 *       sends it again). Receipts our own devices send about messages they received ({@code sender},
 *       {@code read-self}, {@code peer_msg}, {@code hist_sync}) and {@code server-error} say nothing about our
 *       sent messages and are only acked; {@code retry} receipts are {@link RetryAnswers}'.</li>
 * </ul>
 */
final class Receipts {

    private static final System.Logger LOG = System.getLogger(Receipts.class.getName());

    private final Inbox.Sender sender;
    private final Clock clock;
    private final Supplier<Optional<DeviceAccount>> account;
    private final Consumer<CompanionEvent.Received> keep;

    Receipts(Inbox.Sender sender, Clock clock, Supplier<Optional<DeviceAccount>> account,
            Consumer<CompanionEvent.Received> keep) {
        this.sender = sender;
        this.clock = clock;
        this.account = account;
        this.keep = keep;
    }

    void register(NodeHandlers handlers) {
        handlers.on("receipt", this::onReceipt);
    }

    /**
     * Marks {@code ids} of {@code chat} read; {@code participant} is their sender in a group (null for 1:1). The
     * server does not ack receipts: this returns once the stanza is written.
     */
    void markRead(String chat, String participant, List<String> ids) throws IOException {
        if (ids.isEmpty()) {
            return;
        }
        var attrs = Node.attrs("id", ids.getFirst(), "type", "read", "to", chat,
                "t", Long.toString(clock.instant().getEpochSecond()));
        if (participant != null) {
            attrs.put("participant", participant);
        }
        List<Node> rest = ids.subList(1, ids.size()).stream()
                .map(id -> Node.of("item", Node.attrs("id", id))).toList();
        sender.send(rest.isEmpty() ? Node.of("receipt", attrs)
                : Node.withChildren("receipt", attrs, List.of(Node.withChildren("list", Map.of(), rest))));
    }

    private void onReceipt(Node receipt) {
        Optional<MessageStatus> status = switch (receipt.attributeOr("type", "")) {
            case "", "inactive" -> Optional.of(MessageStatus.DELIVERED);
            case "read" -> Optional.of(MessageStatus.READ);
            case "played" -> Optional.of(MessageStatus.PLAYED);
            default -> Optional.empty();
        };
        Optional<Jid> from = Jid.parse(receipt.attributeOr("from", ""));
        if (status.isEmpty() || from.isEmpty()) {
            return;
        }
        boolean group = from.get().isGroup();
        Optional<Jid> participant = group ? receipt.attribute("participant").flatMap(Jid::parse).map(Jid::toNonDevice)
                : Optional.empty();
        Jid reader = participant.orElse(from.get());
        if (account.get().map(own -> isOwn(reader, own)).orElse(false)) {
            // our own phone read or played what a peer sent us: not a receipt for a message we sent
            return;
        }
        List<MessageId> ids = new ArrayList<>();
        List<String> raw = new ArrayList<>(List.of(receipt.attributeOr("id", "")));
        receipt.child("list").ifPresent(list -> list.children().forEach(item -> raw.add(item.attributeOr("id", ""))));
        for (String id : raw) {
            try {
                ids.add(new MessageId(id));
            } catch (IllegalArgumentException e) {
                LOG.log(System.Logger.Level.DEBUG, "a receipt names a malformed message id: {0}", e.getMessage());
            }
        }
        if (ids.isEmpty()) {
            return;
        }
        Instant at = Instant.ofEpochSecond(parseLong(receipt.attributeOr("t", "0")));
        if (at.getEpochSecond() == 0) {
            at = clock.instant();
        }
        keep.accept(new CompanionEvent.ReceiptReceived(from.get().toNonDevice(), participant, status.get(), ids, at));
    }

    private static boolean isOwn(Jid jid, DeviceAccount own) {
        return Jid.parse(own.jid()).map(pn -> pn.user().equals(jid.user()) && jid.isPhone()).orElse(false)
                || Optional.ofNullable(own.lid()).flatMap(Jid::parse)
                .map(lid -> lid.user().equals(jid.user()) && jid.isLid()).orElse(false);
    }

    private static long parseLong(String text) {
        try {
            return Long.parseLong(text);
        } catch (NumberFormatException e) {
            return 0;
        }
    }
}
