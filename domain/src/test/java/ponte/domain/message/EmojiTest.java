package ponte.domain.message;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import ponte.domain.validation.ValidationException;

class EmojiTest {

    @ParameterizedTest
    @ValueSource(strings = {"👍", "❤️", "❤", "👍🏽", "👨‍👩‍👧", "🇧🇷", "1️⃣", "😀", "🏴󠁧󠁢󠁳󠁣󠁴󠁿", "🙏", "☺️"})
    void oneEmojiIsAReaction(String emoji) {
        assertThat(Emoji.isOne(emoji)).as(emoji).isTrue();
        assertThat(OutgoingMessage.reaction("5511987650001", "3EB0A1B2C3D4E5F6A7B8C9", emoji, null).content())
                .isEqualTo(new Message.Reaction(new MessageId("3EB0A1B2C3D4E5F6A7B8C9"), emoji));
    }

    @ParameterizedTest
    @ValueSource(strings = {"a", "1", "#", "ok", "👍👍", " 👍", "👍 ", "🇧", "\u200D", "\uFE0F", "👍a", "lol"})
    void anythingElseIsRefusedNamingTheField(String notOne) {
        assertThat(Emoji.isOne(notOne)).as(notOne).isFalse();
        assertThatThrownBy(() -> OutgoingMessage.reaction("5511987650001", "3EB0A1B2C3D4E5F6A7B8C9", notOne, null))
                .isInstanceOfSatisfying(ValidationException.class, e -> assertThat(e.violations())
                        .anySatisfy(v -> assertThat(v.field()).isEqualTo("emoji")));
    }

    @org.junit.jupiter.api.Test
    void anEmptyEmojiRemovesTheReaction() {
        assertThat(OutgoingMessage.reaction("5511987650001", "3EB0A1B2C3D4E5F6A7B8C9", "", null).content())
                .isEqualTo(new Message.Reaction(new MessageId("3EB0A1B2C3D4E5F6A7B8C9"), ""));
    }
}
