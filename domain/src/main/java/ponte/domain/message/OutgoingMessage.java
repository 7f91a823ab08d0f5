package ponte.domain.message;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;
import ponte.domain.validation.ValidationException;
import ponte.domain.validation.Violations;

/**
 * A send the API accepted as well-formed: {@code POST /v1/instances/{id}/messages/text} after validation, before any
 * server check. Built by {@link #text}, which reports every problem of the body at once as a
 * {@link ValidationException} (→ 400 {@code VALIDATION_ERROR}), so nothing malformed is ever queued.
 *
 * <p>What the application still does, in this order: look up {@link #idempotencyKey()} (a hit returns the earlier
 * message); resolve {@link #to()} ({@link Recipient.Phone} candidates with the server, a group's membership);
 * check that {@link #replyTo()} names a stored message of that chat; then fix the id with
 * {@link MessageId#generate} and queue it with {@link OutgoingStatus#queued}.
 *
 * @param to             the recipient, normalised
 * @param content        the text and its link-preview flag
 * @param replyTo        the quoted message, when replying
 * @param mentions       the accounts mentioned (phone numbers or LIDs; no groups), in the order given, without
 *                       repeats
 * @param idempotencyKey the caller's key, when given
 */
public record OutgoingMessage(Recipient to, TextContent content, Optional<MessageId> replyTo,
                              List<Recipient> mentions, Optional<IdempotencyKey> idempotencyKey) {
    public OutgoingMessage {
        Objects.requireNonNull(to, "to");
        Objects.requireNonNull(content, "content");
        Objects.requireNonNull(replyTo, "replyTo");
        Objects.requireNonNull(idempotencyKey, "idempotencyKey");
        mentions = List.copyOf(mentions);
        if (mentions.stream().anyMatch(Recipient.Group.class::isInstance)) {
            throw new IllegalArgumentException("a mention names an account, not a group");
        }
    }

    /**
     * Validates the fields of a text send as the API names them. {@code linkPreview} null means the default,
     * true; {@code mentions} null means none.
     */
    public static OutgoingMessage text(String to, String text, String replyTo, List<String> mentions,
                                       Boolean linkPreview, String idempotencyKey) {
        var problems = new Violations();
        var recipient = collect(problems, () -> Recipient.parse("to", to));
        TextContent.check(problems, "text", text);
        var quoted = replyTo == null ? Optional.<MessageId>empty()
                : Optional.ofNullable(collect(problems, () -> MessageId.parse("reply_to", replyTo)));
        var mentioned = new ArrayList<Recipient>();
        var given = mentions == null ? List.<String>of() : mentions;
        for (int i = 0; i < given.size(); i++) {
            var field = "mentions[" + i + "]";
            var raw = given.get(i);
            var mention = collect(problems, () -> Recipient.parse(field, raw));
            if (mention instanceof Recipient.Group) {
                problems.add(field, "mentions name people (a number or a JID), not a group");
            } else if (mention != null && !mentioned.contains(mention)) {
                mentioned.add(mention);
            }
        }
        if (idempotencyKey != null) {
            problems.check(IdempotencyKey.isValid(idempotencyKey), IdempotencyKey.FIELD, IdempotencyKey.RULE);
        }
        problems.throwIfAny();
        return new OutgoingMessage(recipient, new TextContent(text, linkPreview == null || linkPreview), quoted,
                mentioned, Optional.ofNullable(idempotencyKey).map(IdempotencyKey::new));
    }

    private static <T> T collect(Violations problems, Supplier<T> parse) {
        try {
            return parse.get();
        } catch (ValidationException e) {
            e.violations().forEach(v -> problems.add(v.field(), v.problem()));
            return null;
        }
    }
}
