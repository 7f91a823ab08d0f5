package ponte.domain.message;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;
import ponte.domain.validation.ValidationException;
import ponte.domain.validation.Violations;

/**
 * A send the API accepted as well-formed: {@code POST /v1/instances/{id}/messages/{type}} after validation, before
 * any server check (and the edits and revokes of {@code PATCH}/{@code DELETE}, built by the application). Built by
 * {@link #text}, {@link #media}, {@link #location}, {@link #contact}, {@link #reaction} and {@link #poll}, each of
 * which reports every problem of the body at once, the shared fields' with the type's, as a
 * {@link ValidationException} (→ 400 {@code VALIDATION_ERROR}), so nothing malformed is ever queued.
 *
 * <p>What the application still does, in this order: look up {@link #idempotencyKey()} (a hit returns the earlier
 * message); resolve {@link #to()} ({@link Recipient.Phone} candidates with the server, a group's membership);
 * check that {@link #replyTo()} names a stored message of that chat; then fix the id with
 * {@link MessageId#generate} and queue it with {@link OutgoingStatus#queued}.
 *
 * @param to             the recipient, normalised
 * @param content        what the send says (its type's fields, validated)
 * @param replyTo        the quoted message, when replying
 * @param mentions       the accounts mentioned (phone numbers or LIDs; no groups), in the order given, without
 *                       repeats
 * @param idempotencyKey the caller's key, when given
 */
public record OutgoingMessage(Recipient to, OutgoingContent content, Optional<MessageId> replyTo,
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
        return validated(to, replyTo, mentions, idempotencyKey, problems -> {
            int before = problems.size();
            TextContent.check(problems, "text", text);
            return problems.size() > before ? null : new TextContent(text, linkPreview == null || linkPreview);
        });
    }

    /** Validates a media send ({@link MediaContent#check}) with the shared fields. */
    public static OutgoingMessage media(String to, MediaType kind, String url, String base64, String caption,
                                        String fileName, String mimeType, Boolean ptt, Boolean gif, String replyTo,
                                        List<String> mentions, String idempotencyKey) {
        return media(to, kind, url, base64, caption, fileName, mimeType, ptt, gif, null, replyTo, mentions,
                idempotencyKey);
    }

    /** Validates a media send ({@link MediaContent#check}) with the shared fields and a voice note's waveform. */
    public static OutgoingMessage media(String to, MediaType kind, String url, String base64, String caption,
                                        String fileName, String mimeType, Boolean ptt, Boolean gif,
                                        List<Integer> waveform, String replyTo, List<String> mentions,
                                        String idempotencyKey) {
        return validated(to, replyTo, mentions, idempotencyKey, problems ->
                MediaContent.check(problems, kind, url, base64, caption, fileName, mimeType, ptt, gif, waveform));
    }

    /** Validates a location send: {@code {latitude, longitude, name?, address?}}. */
    public static OutgoingMessage location(String to, Double latitude, Double longitude, String name, String address,
                                           String replyTo, List<String> mentions, String idempotencyKey) {
        return validated(to, replyTo, mentions, idempotencyKey, problems ->
                OutgoingContent.checkLocation(problems, latitude, longitude, name, address));
    }

    /** Validates a contact send: {@code {contacts:[{name, phones, org?, email?}]}}. */
    public static OutgoingMessage contact(String to, List<OutgoingContent.CardInput> contacts, String replyTo,
                                          List<String> mentions, String idempotencyKey) {
        return validated(to, replyTo, mentions, idempotencyKey, problems ->
                OutgoingContent.checkContacts(problems, contacts));
    }

    /**
     * Validates a reaction send: {@code {message_id, emoji}}. Whether {@code message_id} is a message of the chat is
     * the application's check (an unknown message is a 404).
     */
    public static OutgoingMessage reaction(String to, String messageId, String emoji, String idempotencyKey) {
        return validated(to, null, null, idempotencyKey, problems ->
                OutgoingContent.checkReaction(problems, messageId, emoji));
    }

    /** Validates a poll send: {@code {question, options:[2..12], multiple}}. */
    public static OutgoingMessage poll(String to, String question, List<String> options, Boolean multiple,
                                       String replyTo, List<String> mentions, String idempotencyKey) {
        return validated(to, replyTo, mentions, idempotencyKey, problems ->
                OutgoingContent.checkPoll(problems, question, options, multiple));
    }

    /**
     * Checks the fields every send shares ({@code to}, {@code reply_to}, {@code mentions}, {@code idempotency_key})
     * and, with the same {@link Violations}, the type's own ({@code content} returns null when it added a problem);
     * throws once with all of them.
     */
    private static OutgoingMessage validated(String to, String replyTo, List<String> mentions, String idempotencyKey,
                                             java.util.function.Function<Violations, OutgoingContent> content) {
        var problems = new Violations();
        var recipient = collect(problems, () -> Recipient.parse("to", to));
        var body = content.apply(problems);
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
        return new OutgoingMessage(recipient, body, quoted, mentioned,
                Optional.ofNullable(idempotencyKey).map(IdempotencyKey::new));
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
