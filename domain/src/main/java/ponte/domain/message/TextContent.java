package ponte.domain.message;

import ponte.domain.validation.Violations;

/**
 * The body of a text message: {@code text} and whether WhatsApp may attach a link preview.
 *
 * <p>Text is required, not blank, and at most {@value #MAX_CODE_POINTS} characters, counted as Unicode code points
 * (what a person counts: an emoji is one character, not the two UTF-16 units Java's {@code String.length()} sees).
 * The limit is the and API.md's "65,536 characters".
 */
public record TextContent(String text, boolean linkPreview) implements OutgoingContent {
    public static final int MAX_CODE_POINTS = 65_536;

    public TextContent {
        var problems = new Violations();
        check(problems, "text", text);
        problems.throwIfAny();
    }

    /** Adds the problems of {@code text}, as the API field {@code field}, to {@code problems}. */
    static void check(Violations problems, String field, String text) {
        if (text == null || text.isBlank()) {
            problems.add(field, "is required and must not be blank");
            return;
        }
        int length = text.codePointCount(0, text.length());
        problems.check(length <= MAX_CODE_POINTS, field, "must be at most " + MAX_CODE_POINTS
                + " characters; got " + length);
    }

    @Override
    public String type() {
        return "text";
    }

    /** The API's default: link previews on. */
    public static TextContent of(String text) {
        return new TextContent(text, true);
    }
}
