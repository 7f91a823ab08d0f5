package ponte.domain.message;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import ponte.domain.validation.ValidationException;

class RecipientTest {
    private static List<String> candidates(String input) {
        var recipient = (Recipient.Phone) Recipient.parse("to", input);
        return recipient.candidates().stream().map(Jid::toString).toList();
    }

    @ParameterizedTest
    @ValueSource(strings = {"4915123456789", "+4915123456789", "+49 151 2345-6789", "+49 (151) 23456789",
            " 49.151.234.567.89 ", "4915123456789@s.whatsapp.net"})
    void everyWayOfWritingANumberGivesTheSamePhoneJid(String input) {
        var recipient = Recipient.parse("to", input);
        assertThat(recipient).isEqualTo(new Recipient.Phone("4915123456789",
                List.of(Jid.phone("4915123456789"))));
        assertThat(recipient.jid()).hasToString("4915123456789@s.whatsapp.net");
    }

    @Test
    void aLidAndAGroupAreTakenAsGiven() {
        assertThat(Recipient.parse("to", "123456789012345@lid"))
                .isEqualTo(new Recipient.Lid(Jid.lid("123456789012345")));
        assertThat(Recipient.parse("to", "120363025246125486@g.us"))
                .isEqualTo(new Recipient.Group(Jid.group("120363025246125486")));
    }

    @Test
    void aBrazilianMobileIsTriedAsWrittenThenWithoutItsNinthDigit() {
        assertThat(candidates("+55 11 98765-4321"))
                .containsExactly("5511987654321@s.whatsapp.net", "551187654321@s.whatsapp.net");
    }

    @Test
    void anOldFormBrazilianMobileIsTriedAsWrittenThenWithTheNinthDigit() {
        assertThat(candidates("556187654321"))
                .containsExactly("556187654321@s.whatsapp.net", "5561987654321@s.whatsapp.net");
        assertThat(candidates("556187654321@s.whatsapp.net")).hasSize(2);
    }

    @Test
    void aBrazilianLandlineOrANumberWithoutAnAreaCodeHasOneForm() {
        assertThat(candidates("551133334444")).containsExactly("551133334444@s.whatsapp.net");
        assertThat(candidates("5501987654321")).containsExactly("5501987654321@s.whatsapp.net");
    }

    @Test
    void aMexicanMobileIsTriedWithAndWithoutTheOneAfterTheCountryCode() {
        assertThat(candidates("+52 1 55 1234 5678"))
                .containsExactly("5215512345678@s.whatsapp.net", "525512345678@s.whatsapp.net");
        assertThat(candidates("525512345678"))
                .containsExactly("525512345678@s.whatsapp.net", "5215512345678@s.whatsapp.net");
    }

    @Test
    void otherCountriesHaveOneForm() {
        assertThat(candidates("14155552671")).containsExactly("14155552671@s.whatsapp.net");
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "   ", "hello", "+55 11 9876x4321", "++5511987654321", "5511+987654321",
            "1234567", "1234567890123456", "005511987654321", "011987654321",
            "5511987654321@example.com", "someone@s.whatsapp.net", "5511987654321:2@s.whatsapp.net",
            "123456789012345:1@lid", "status@broadcast", "120363144038483540@newsletter", "１２３４５６７８９"})
    void anythingElseIsAValidationErrorOnTheFieldWithASentence(String input) {
        assertThatThrownBy(() -> Recipient.parse("to", input)).isInstanceOfSatisfying(ValidationException.class,
                e -> {
                    assertThat(e.violations()).singleElement().satisfies(v -> {
                        assertThat(v.field()).isEqualTo("to");
                        assertThat(v.problem()).hasSizeGreaterThan(20);
                    });
                });
    }

    @Test
    void theRefusalsSayWhatToDoInstead() {
        assertThatThrownBy(() -> Recipient.parse("to", null)).hasMessage("to: is required: a phone number with its "
                + "country code, a JID (…@s.whatsapp.net or …@lid) or a group JID (…@g.us)");
        assertThatThrownBy(() -> Recipient.parse("to", "5511987654321:2@s.whatsapp.net"))
                .hasMessageContaining("send to the account 5511987654321@s.whatsapp.net");
        assertThatThrownBy(() -> Recipient.parse("to", "0044 20 7946 0958")).hasMessageContaining("not 0 or 00");
        assertThatThrownBy(() -> Recipient.parse("to", "1234567")).hasMessageContaining("8-15 digits")
                .hasMessageContaining("got 7");
        assertThatThrownBy(() -> Recipient.parse("to", "status@broadcast"))
                .hasMessageContaining("cannot send to broadcast addresses");
    }

    @Test
    void theShortestAndLongestE164NumbersAreAccepted() {
        assertThat(Recipient.parse("to", "12345678")).isInstanceOf(Recipient.Phone.class);
        assertThat(Recipient.parse("to", "123456789012345")).isInstanceOf(Recipient.Phone.class);
    }
}
