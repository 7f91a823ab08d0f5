package ponte.domain.message;

import java.util.regex.Pattern;

/**
 * Whether a text is exactly one emoji, as a reaction must be (API.md "Messages": reaction {@code {message_id,
 * emoji}}). One emoji is one extended grapheme cluster (Unicode UAX #29, Java's {@code \X}) made only of emoji code
 * points and their joiners, of which at least one is shown as an emoji by default: an Extended_Pictographic or
 * Emoji_Presentation character (Unicode UTS #51, {@link Character#isExtendedPictographic},
 * {@link Character#isEmojiPresentation}), a pair of regional indicators (a flag), a keycap ({@code U+20E3}) or a
 * character followed by the emoji variation selector {@code U+FE0F}. So {@code "👍"}, {@code "❤️"},
 * {@code "👍🏽"}, {@code "👨‍👩‍👧"}, {@code "🇧🇷"} and {@code "1️⃣"} are emoji; {@code "a"}, {@code "1"},
 * {@code "👍👍"}, {@code " 👍"} and {@code "ok"} are not.
 */
public final class Emoji {
    private static final Pattern ONE_CLUSTER = Pattern.compile("\\X");
    private static final int ZERO_WIDTH_JOINER = 0x200D;
    private static final int EMOJI_VARIATION = 0xFE0F;
    private static final int KEYCAP = 0x20E3;

    private Emoji() {
    }

    /** True when {@code text} is exactly one emoji (see the class comment); false for null or empty text. */
    public static boolean isOne(String text) {
        if (text == null || text.isEmpty() || !ONE_CLUSTER.matcher(text).matches()) {
            return false;
        }
        int base = text.codePointAt(0);
        if (!Character.isEmoji(base) && !Character.isExtendedPictographic(base)) {
            return false; // a joiner or a variation selector alone is no emoji
        }
        boolean shown = false;
        int regionalIndicators = 0;
        for (int i = 0; i < text.length(); ) {
            int cp = text.codePointAt(i);
            i += Character.charCount(cp);
            boolean tag = cp >= 0xE0020 && cp <= 0xE007F; // subdivision flags (England, Scotland, Wales)
            if (!(Character.isEmoji(cp) || Character.isEmojiComponent(cp) || Character.isExtendedPictographic(cp)
                    || cp == ZERO_WIDTH_JOINER || cp == EMOJI_VARIATION || cp == KEYCAP || tag)) {
                return false;
            }
            if (cp >= 0x1F1E6 && cp <= 0x1F1FF) {
                regionalIndicators++;
            } else if (Character.isExtendedPictographic(cp) || Character.isEmojiPresentation(cp)
                    || cp == EMOJI_VARIATION || cp == KEYCAP) {
                shown = true;
            }
        }
        return shown || regionalIndicators == 2;
    }
}
