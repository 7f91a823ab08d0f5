package ponte.domain.message;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import ponte.domain.validation.Violations;

/**
 * What one send says: one per API send type ({@code POST /v1/instances/{id}/messages/{type}}), plus the edit and
 * revoke of {@code PATCH}/{@code DELETE /v1/instances/{id}/messages/{message_id}}. Each is validated where it is
 * built: the {@code check…} methods add every problem to a {@link Violations} and return null when there was one,
 * so a send reports all its problems at once (→ 400 {@code VALIDATION_ERROR}).
 */
public sealed interface OutgoingContent permits TextContent, MediaContent, Message.Location, Message.Contacts,
        Message.Reaction, Message.Poll, OutgoingContent.Edit, OutgoingContent.Revoke {

    /** The fewest and most options a poll has (issue 11 "Bad input": 1 or 13 options is a 400). */
    int MIN_POLL_OPTIONS = 2;
    int MAX_POLL_OPTIONS = 12;
    /** The longest poll question and option, in characters. */
    int MAX_POLL_TEXT = 255;

    /** The API's {@code type} this content is sent as ({@code edit} and {@code revoke} for PATCH and DELETE). */
    String type();

    /**
     * An edit of our own earlier message {@code messageId} (a {@code MESSAGE_EDIT}): its new text, or a media
     * message's new caption. The application checks that the message is ours and at most 15 minutes old.
     */
    record Edit(MessageId messageId, String text) implements OutgoingContent {
        public Edit {
            Objects.requireNonNull(messageId, "messageId");
            var problems = new Violations();
            TextContent.check(problems, "text", text);
            problems.throwIfAny();
        }

        @Override
        public String type() {
            return "edit";
        }
    }

    /** A revoke (delete for everyone) of the earlier message {@code messageId} of the same chat. */
    record Revoke(MessageId messageId) implements OutgoingContent {
        public Revoke {
            Objects.requireNonNull(messageId, "messageId");
        }

        @Override
        public String type() {
            return "revoke";
        }
    }

    /** A location send: {@code {latitude, longitude, name?, address?}}, degrees within range. */
    static Message.Location checkLocation(Violations problems, Double latitude, Double longitude, String name,
                                          String address) {
        int before = size(problems);
        problems.check(latitude != null && latitude >= -90 && latitude <= 90, "latitude",
                "is required, in degrees from -90 to 90");
        problems.check(longitude != null && longitude >= -180 && longitude <= 180, "longitude",
                "is required, in degrees from -180 to 180");
        problems.check(name == null || name.length() <= 1024, "name", "must be at most 1024 characters");
        problems.check(address == null || address.length() <= 1024, "address", "must be at most 1024 characters");
        return size(problems) > before ? null : new Message.Location(latitude, longitude,
                Optional.ofNullable(name).filter(n -> !n.isBlank()),
                Optional.ofNullable(address).filter(a -> !a.isBlank()));
    }

    /** One contact card as the API gives it. */
    record CardInput(String name, List<String> phones, String org, String email) {}

    /** A contact send: {@code {contacts:[{name, phones:[...], org?, email?}]}}, 1 to {@value ContactCard#MAX_CARDS}. */
    static Message.Contacts checkContacts(Violations problems, List<CardInput> cards) {
        int before = size(problems);
        if (cards == null || cards.isEmpty()) {
            problems.add("contacts", "must list at least one contact");
            return null;
        }
        problems.check(cards.size() <= ContactCard.MAX_CARDS, "contacts",
                "must list at most " + ContactCard.MAX_CARDS + " contacts");
        var built = new ArrayList<ContactCard>();
        for (int i = 0; i < cards.size(); i++) {
            var card = cards.get(i);
            var field = "contacts[" + i + "]";
            if (card == null) {
                problems.add(field, "must be a contact");
                continue;
            }
            ContactCard.check(problems, field, card.name(), card.phones());
            problems.check(card.email() == null || card.email().matches("[^@\\s]+@[^@\\s]+"), field + ".email",
                    "must be an e-mail address");
            if (size(problems) == before) {
                built.add(new ContactCard(card.name(), card.phones(),
                        Optional.ofNullable(card.org()).filter(o -> !o.isBlank()),
                        Optional.ofNullable(card.email())));
            }
        }
        return size(problems) > before ? null : new Message.Contacts(built);
    }

    /** A reaction send: {@code {message_id, emoji}}; an empty (or absent) emoji removes our reaction. */
    static Message.Reaction checkReaction(Violations problems, String messageId, String emoji) {
        int before = size(problems);
        MessageId target = null;
        try {
            target = MessageId.parse("message_id", messageId);
        } catch (ponte.domain.validation.ValidationException e) {
            e.violations().forEach(v -> problems.add(v.field(), v.problem()));
        }
        var given = emoji == null ? "" : emoji;
        problems.check(given.isEmpty() || Emoji.isOne(given), "emoji",
                "must be exactly one emoji, such as \"👍\" (or empty to remove the reaction)");
        return size(problems) > before ? null : new Message.Reaction(target, given);
    }

    /**
     * A poll send: {@code {question, options:[2..12], multiple}}; options are distinct, not blank, each at most
     * {@value #MAX_POLL_TEXT} characters.
     */
    static Message.Poll checkPoll(Violations problems, String question, List<String> options, Boolean multiple) {
        int before = size(problems);
        if (question == null || question.isBlank()) {
            problems.add("question", "is required and must not be blank");
        } else {
            problems.check(question.length() <= MAX_POLL_TEXT, "question",
                    "must be at most " + MAX_POLL_TEXT + " characters");
        }
        var given = options == null ? List.<String>of() : options;
        problems.check(given.size() >= MIN_POLL_OPTIONS && given.size() <= MAX_POLL_OPTIONS, "options",
                "must list " + MIN_POLL_OPTIONS + " to " + MAX_POLL_OPTIONS + " options; got " + given.size());
        var seen = new HashSet<String>();
        for (int i = 0; i < given.size(); i++) {
            var option = given.get(i);
            var field = "options[" + i + "]";
            if (option == null || option.isBlank()) {
                problems.add(field, "must not be blank");
            } else if (option.length() > MAX_POLL_TEXT) {
                problems.add(field, "must be at most " + MAX_POLL_TEXT + " characters");
            } else if (!seen.add(option)) {
                problems.add(field, "repeats an earlier option");
            }
        }
        return size(problems) > before ? null
                : new Message.Poll(question, given, multiple != null && multiple);
    }

    private static int size(Violations problems) {
        return problems.size();
    }
}
