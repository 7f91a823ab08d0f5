package ponte.application.model;

import java.util.Optional;
import ponte.domain.message.Jid;

/**
 * A person as the instance's messages taught it (API.md "Chats, contacts, store": {@code {jid, lid, phone_number,
 * push_name, name}}): who wrote to it (or is in the phone's address book), under which phone-number JID and LID,
 * with the push name of their latest message and the name the address book gives them.
 *
 * @param jid         the phone-number JID, or the LID when no message told the number
 * @param lid         the LID, when a message told it
 * @param phoneNumber the phone number's digits, when known
 * @param pushName    the name the person gave WhatsApp, from their latest message that carried one
 * @param name        the name saved in the phone's address book, as app-state sync brought it
 * @param presence    what the instance last heard of their presence (in memory on the node running the session;
 *                    only {@code GET /contacts/{jid}} fills it)
 */
public record Contact(Jid jid, Optional<Jid> lid, Optional<String> phoneNumber, Optional<String> pushName,
                      Optional<String> name, Optional<ContactPresence> presence) {

    /** A contact without presence, as the store knows it. */
    public Contact(Jid jid, Optional<Jid> lid, Optional<String> phoneNumber, Optional<String> pushName,
                   Optional<String> name) {
        this(jid, lid, phoneNumber, pushName, name, Optional.empty());
    }

    /** This contact with the presence heard of them. */
    public Contact withPresence(Optional<ContactPresence> heard) {
        return new Contact(jid, lid, phoneNumber, pushName, name, heard);
    }
}
