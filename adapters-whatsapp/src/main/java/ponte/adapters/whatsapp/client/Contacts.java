package ponte.adapters.whatsapp.client;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;
import ponte.adapters.whatsapp.binary.Jid;
import ponte.adapters.whatsapp.binary.Node;

/**
 * The feature that asks the server whether phone numbers are WhatsApp accounts: one usync query with the
 * {@code contact} and {@code lid} protocols (protocol.md §1.13; whatsmeow user.go {@code IsOnWhatsApp}):
 * {@code <usync sid mode=query last=true index=0 context=interactive><query><contact/><lid/></query><list>
 * <user><contact>+digits</contact></user>…</list></usync>}, answered per user with
 * {@code <user jid><contact type=in|out>+digits</contact>[<lid val/>]</user>}. The server's JID may differ from the
 * number asked (Brazil's and Mexico's old and new mobile forms), so the answer is matched by the echoed number, or by
 * position when the server does not echo it.
 */
public final class Contacts {

    /**
     * The server's answer for one asked number (digits): whether it is an account, the JID and LID the server knows
     * it by (user JIDs without device).
     */
    public record Contact(String asked, boolean exists, Optional<Jid> jid, Optional<Jid> lid) {
    }

    private final IqSender iq;
    private final LidMappings lids;
    private final AtomicLong sid = new AtomicLong();

    Contacts(IqSender iq, LidMappings lids) {
        this.iq = iq;
        this.lids = lids;
    }

    /**
     * One answer per number (digits, an optional {@code +} and separators are ignored), in the order asked; fails
     * with an {@link IqErrorException} or the connection's timeout, and with an {@link IllegalArgumentException}
     * for something that is not a number.
     */
    CompletableFuture<List<Contact>> lookup(List<String> numbers) {
        List<String> digits = numbers.stream().map(Contacts::digits).toList();
        if (digits.isEmpty()) {
            return CompletableFuture.completedFuture(List.of());
        }
        List<Node> users = digits.stream().map(number -> Node.withChildren("user", Map.of(), List.of(
                Node.withText("contact", Map.of(), "+" + number)))).toList();
        Node usync = Node.withChildren("usync", Node.attrs("sid", "ponte-c" + sid.incrementAndGet(), "mode", "query",
                "last", "true", "index", "0", "context", "interactive"), List.of(
                Node.withChildren("query", Map.of(), List.of(Node.of("contact"), Node.of("lid"))),
                Node.withChildren("list", Map.of(), users)));
        return iq.sendIq("usync", "get", List.of(usync)).thenApplyAsync(answer -> {
            List<Contact> contacts = answers(digits, answer);
            contacts.forEach(contact -> contact.jid().ifPresent(jid -> contact.lid()
                    .ifPresent(lid -> lids.learn(jid, lid))));
            return contacts;
        }, LidMappings.OFF_READER);
    }

    private static List<Contact> answers(List<String> asked, Node answer) {
        List<Node> users = answer.child("usync").flatMap(usync -> usync.child("list")).map(Node::children)
                .orElse(List.of()).stream().filter(user -> user.tag().equals("user")).toList();
        Map<String, Node> byNumber = new HashMap<>();
        for (Node user : users) {
            user.child("contact").flatMap(Node::text).map(text -> text.replaceAll("[^0-9]", ""))
                    .filter(number -> !number.isEmpty()).ifPresent(number -> byNumber.put(number, user));
        }
        List<Contact> contacts = new ArrayList<>();
        for (int i = 0; i < asked.size(); i++) {
            String number = asked.get(i);
            Node user = byNumber.getOrDefault(number, byNumber.isEmpty() && i < users.size() ? users.get(i) : null);
            contacts.add(user == null ? new Contact(number, false, Optional.empty(), Optional.empty())
                    : contact(number, user));
        }
        return contacts;
    }

    private static Contact contact(String asked, Node user) {
        boolean exists = user.child("contact").map(contact -> contact.attributeOr("type", "")).filter("in"::equals)
                .isPresent();
        if (!exists) {
            return new Contact(asked, false, Optional.empty(), Optional.empty());
        }
        Optional<Jid> jid = user.attribute("jid").flatMap(Jid::parse).map(Contacts::bare);
        Optional<Jid> lid = user.child("lid").flatMap(node -> node.attribute("val")).flatMap(Jid::parse)
                .filter(parsed -> parsed.server().equals(Jid.LID_SERVER)).map(Contacts::bare);
        return new Contact(asked, true, jid, lid);
    }

    private static Jid bare(Jid jid) {
        return Jid.device(jid.user(), 0, jid.server());
    }

    private static String digits(String number) {
        String digits = number == null ? "" : number.replaceAll("[\\s+()\\-.]", "");
        if (!digits.matches("[0-9]{5,20}")) {
            throw new IllegalArgumentException("not a phone number: " + number);
        }
        return digits;
    }
}
