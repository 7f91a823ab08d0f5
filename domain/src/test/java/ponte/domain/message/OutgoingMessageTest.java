package ponte.domain.message;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import ponte.domain.validation.ValidationException;
import ponte.domain.validation.Violation;

class OutgoingMessageTest {
    private static List<String> fieldsOf(ValidationException e) {
        return e.violations().stream().map(Violation::field).toList();
    }

    @Test
    void aMinimalTextSendHasTheApiDefaults() {
        var message = OutgoingMessage.text("+55 11 98765-4321", "hello", null, null, null, null);
        assertThat(message.to()).isInstanceOf(Recipient.Phone.class);
        assertThat(message.content()).isEqualTo(new TextContent("hello", true));
        assertThat(message.replyTo()).isEmpty();
        assertThat(message.mentions()).isEmpty();
        assertThat(message.idempotencyKey()).isEmpty();
    }

    @Test
    void everyOptionalFieldIsKeptNormalised() {
        var message = OutgoingMessage.text("120363025246125486@g.us", "hi @4915123456789", "3EB0DDE9DB2014B50A459C",
                List.of("+49 151 23456789", "123456789012345@lid", "4915123456789"), false, "order-42");
        assertThat(message.to()).isEqualTo(new Recipient.Group(Jid.group("120363025246125486")));
        assertThat(((TextContent) message.content()).linkPreview()).isFalse();
        assertThat(message.replyTo()).contains(new MessageId("3EB0DDE9DB2014B50A459C"));
        assertThat(message.mentions()).extracting(Recipient::jid).map(Jid::toString)
                .containsExactly("4915123456789@s.whatsapp.net", "123456789012345@lid");
        assertThat(message.idempotencyKey()).contains(new IdempotencyKey("order-42"));
    }

    @Test
    void everyProblemIsReportedAtOnceOnItsField() {
        assertThatThrownBy(() -> OutgoingMessage.text("hello", "  \n ", "not an id", List.of("1", "ok@g.us",
                "120363025246125486@g.us"), true, "has space"))
                .isInstanceOfSatisfying(ValidationException.class, e -> assertThat(fieldsOf(e)).containsExactly(
                        "to", "text", "reply_to", "mentions[0]", "mentions[1]", "mentions[2]", "idempotency_key"));
    }

    @Test
    void textIsCountedInCharactersAsPeopleCountThemNotInUtf16Units() {
        var emoji = "\uD83D\uDE00"; // one character, two Java chars
        var atTheLimit = emoji.repeat(TextContent.MAX_CODE_POINTS);
        assertThat(((TextContent) OutgoingMessage.text("14155552671", atTheLimit, null, null, null, null).content()).text())
                .hasSize(2 * TextContent.MAX_CODE_POINTS);
        assertThatThrownBy(() -> OutgoingMessage.text("14155552671", atTheLimit + "a", null, null, null, null))
                .hasMessage("text: must be at most 65536 characters; got 65537");
    }

    @Test
    void aMissingOrBlankTextIsRefused() {
        assertThatThrownBy(() -> OutgoingMessage.text("14155552671", null, null, null, null, null))
                .hasMessage("text: is required and must not be blank");
        assertThatThrownBy(() -> new TextContent("\t", true)).isInstanceOf(ValidationException.class);
    }

    @Test
    void anIdempotencyKeyIsOneTo128VisibleAsciiCharacters() {
        assertThat(new IdempotencyKey("k".repeat(128)).value()).hasSize(128);
        for (var bad : new String[] {"", "k".repeat(129), "a b", "ключ", "tab\t"}) {
            assertThatThrownBy(() -> OutgoingMessage.text("14155552671", "x", null, null, null, bad))
                    .isInstanceOf(ValidationException.class).hasMessageStartingWith("idempotency_key: must be 1-128");
        }
    }

    @Test
    void aGroupCannotBeMentionedEvenWhenBuiltDirectly() {
        var group = new Recipient.Group(Jid.group("120363025246125486"));
        assertThatThrownBy(() -> new OutgoingMessage(group, TextContent.of("x"), Optional.empty(), List.of(group),
                Optional.empty())).isInstanceOf(IllegalArgumentException.class);
    }
}
