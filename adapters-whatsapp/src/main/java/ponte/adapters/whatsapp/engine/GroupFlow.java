package ponte.adapters.whatsapp.engine;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import ponte.adapters.whatsapp.client.CompanionEvent;

/**
 * A {@code w:gp2} notification as {@code group.flow} events (API.md "Events"): one event per change it carries,
 * {@code data} = {@code {type, group_jid, participants:[{jid, lid, phone_number}], by:{jid, lid, phone_number}|null,
 * …}} where {@code type} is
 * <ul>
 * <li>{@code created} (a {@code create}; also {@code subject}), or {@code joined} for one with {@code reason=invite};
 * </li>
 * <li>{@code joined} for an {@code add} by the participant itself or by invite link ({@code reason=invite}),
 * {@code added} for an admin's;</li>
 * <li>{@code left} for a {@code leave}, or a {@code remove} of the author itself (as Baileys reads it),
 * {@code removed} for an admin's;</li>
 * <li>{@code promoted}, {@code demoted};</li>
 * <li>{@code subject} (with {@code subject}), {@code description} (with {@code description}, null when
 * deleted);</li>
 * <li>{@code settings} with {@code setting}: {@code announce} (and {@code announce}: true/false),
 * {@code locked} (and {@code locked}), {@code invite_link} (the invite link was reset), or WhatsApp's own name of
 * another setting (say {@code ephemeral}).</li>
 * </ul>
 * A participant is named by its phone-number JID when known (else its LID), with its LID and number beside it, as
 * the message events name people.
 */
final class GroupFlow {
    private GroupFlow() {}

    static List<Map<String, Object>> events(CompanionEvent.GroupChanged changed) {
        var by = changed.author().map(author -> person(author, changed.authorOther()));
        List<Map<String, Object>> events = new ArrayList<>();
        for (var change : changed.changes()) {
            var data = new LinkedHashMap<String, Object>();
            var participants = change.participants().stream()
                    .map(p -> person(p.jid(), p.other())).toList();
            boolean self = by.isPresent() && participants.size() == 1
                    && samePerson(participants.getFirst(), by.get());
            boolean invited = change.reason().filter(reason -> reason.equals("invite")).isPresent();
            String type = switch (change.kind()) {
                case "create" -> invited ? "joined" : "created";
                case "add" -> invited || self ? "joined" : "added";
                case "leave" -> "left";
                case "remove" -> self ? "left" : "removed";
                case "promote" -> "promoted";
                case "demote" -> "demoted";
                case "subject" -> "subject";
                case "description" -> "description";
                default -> "settings";
            };
            data.put("type", type);
            data.put("group_jid", changed.group());
            data.put("participants", participants);
            data.put("by", by.orElse(null));
            switch (change.kind()) {
                case "create", "subject" -> data.put("subject", change.text().orElse(null));
                case "description" -> data.put("description", change.text().filter(text -> !text.isEmpty())
                        .orElse(null));
                case "announcement", "not_announcement" -> {
                    data.put("setting", "announce");
                    data.put("announce", change.kind().equals("announcement"));
                }
                case "locked", "unlocked" -> {
                    data.put("setting", "locked");
                    data.put("locked", change.kind().equals("locked"));
                }
                case "invite" -> data.put("setting", "invite_link");
                default -> {
                    if (type.equals("settings")) {
                        data.put("setting", change.kind());
                    }
                }
            }
            events.add(data);
        }
        return events;
    }

    /** {@code {jid, lid, phone_number}} from a JID in either form and its other name when told. */
    static Map<String, Object> person(String jid, Optional<String> other) {
        boolean lid = jid.endsWith("@lid");
        Optional<String> phoneJid = lid ? other.filter(o -> o.endsWith("@s.whatsapp.net")) : Optional.of(jid);
        Optional<String> lidJid = lid ? Optional.of(jid) : other.filter(o -> o.endsWith("@lid"));
        var person = new LinkedHashMap<String, Object>();
        person.put("jid", phoneJid.orElse(jid));
        person.put("lid", lidJid.orElse(null));
        person.put("phone_number", phoneJid.map(pn -> pn.substring(0, pn.indexOf('@'))).orElse(null));
        return person;
    }

    private static boolean samePerson(Map<String, Object> a, Map<String, Object> b) {
        return a.get("jid").equals(b.get("jid")) || a.get("lid") != null && a.get("lid").equals(b.get("lid"));
    }
}
