package ponte.domain.message;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import org.junit.jupiter.api.Test;
import ponte.domain.validation.ValidationException;

class MessageIdTest {
    private static final byte[] RANDOM = new byte[] {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15};
    private static final Jid OWN = Jid.phone("5511987654321");

    @Test
    void aGeneratedIdIsWhatsAppWebsHashOfTimeUserAndRandomness() {
        // expected value computed independently: "3EB0" + sha256(u64be(t) ‖ "5511987654321@c.us" ‖ 00..0f)[:9]
        var id = MessageId.generate(Instant.parse("2026-01-01T00:00:00.900Z"), OWN, RANDOM);
        assertThat(id.value()).isEqualTo("3EB0DDE9DB2014B50A459C").hasSize(22);
    }

    @Test
    void theSameInputsGiveTheSameIdAndAnotherSecondOrDeviceChangesOnlyWhatItShould() {
        var at = Instant.parse("2026-01-01T00:00:00Z");
        var id = MessageId.generate(at, OWN, RANDOM);
        assertThat(MessageId.generate(at, Jid.parse("5511987654321:7@s.whatsapp.net").orElseThrow(), RANDOM))
                .isEqualTo(id);
        assertThat(MessageId.generate(at.plusSeconds(1), OWN, RANDOM).value()).isEqualTo("3EB0291662E9D31B79532C");
        var otherRandom = RANDOM.clone();
        otherRandom[15] = 99;
        assertThat(MessageId.generate(at, OWN, otherRandom)).isNotEqualTo(id);
    }

    @Test
    void randomnessOfTheWrongSizeIsRefused() {
        assertThatThrownBy(() -> MessageId.generate(Instant.EPOCH, OWN, new byte[8]))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("16");
    }

    @Test
    void idsOfEveryClientParseAndMalformedOnesAreAValidationErrorOnTheirField() {
        assertThat(MessageId.parse("reply_to", "3EB0DDE9DB2014B50A459C").value()).isEqualTo("3EB0DDE9DB2014B50A459C");
        assertThat(MessageId.parse("reply_to", "3A1B2C3D4E5F60718293")).isNotNull();
        assertThat(MessageId.parse("reply_to", "B24E5A9D2F1C4E8A9B0C7D6E5F4A3B2C")).isNotNull();
        for (var bad : new String[] {"", "has space", "x".repeat(129), "ID/../1", "ÅÄÖ"}) {
            assertThatThrownBy(() -> MessageId.parse("reply_to", bad)).isInstanceOf(ValidationException.class)
                    .hasMessageStartingWith("reply_to: must be a WhatsApp message id");
        }
    }
}
