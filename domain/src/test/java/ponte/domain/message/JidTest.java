package ponte.domain.message;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class JidTest {
    @Test
    void aDeviceAddressParsesIntoItsPartsAndFormatsBackTheSame() {
        var jid = Jid.parse("987654321_1:3@lid").orElseThrow();
        assertThat(jid.user()).isEqualTo("987654321");
        assertThat(jid.agent()).isEqualTo(1);
        assertThat(jid.device()).isEqualTo(3);
        assertThat(jid.isLid()).isTrue();
        assertThat(jid.hasDevice()).isTrue();
        assertThat(jid).hasToString("987654321_1:3@lid");
        assertThat(jid.toNonDevice()).isEqualTo(Jid.lid("987654321")).hasToString("987654321@lid");
    }

    @Test
    void deviceZeroIsThePhoneAndIsWrittenWithoutItsNumber() {
        assertThat(Jid.parse("5511987654321:0@s.whatsapp.net").orElseThrow())
                .isEqualTo(Jid.phone("5511987654321")).hasToString("5511987654321@s.whatsapp.net");
    }

    @Test
    void eachServerSaysWhatItNames() {
        assertThat(Jid.parse("5511987654321@s.whatsapp.net").orElseThrow().isPhone()).isTrue();
        assertThat(Jid.parse("120363025246125486@g.us").orElseThrow().isGroup()).isTrue();
        assertThat(Jid.parse("5511987654321-1577836800@g.us").orElseThrow().isGroup()).isTrue();
        assertThat(Jid.parse("status@broadcast").orElseThrow().isBroadcast()).isTrue();
        assertThat(Jid.parse("120363144038483540@newsletter").orElseThrow().isNewsletter()).isTrue();
        var group = Jid.group("120363025246125486");
        assertThat(group.isPhone() || group.isLid()).isFalse();
        assertThat(group.toNonDevice()).isSameAs(group);
    }

    @Test
    void textThatIsNotAJidOfAKnownServerIsNotParsed() {
        assertThat(Jid.parse("5511987654321")).isEmpty();
        assertThat(Jid.parse("5511987654321@example.com")).isEmpty();
        assertThat(Jid.parse("abc@s.whatsapp.net")).isEmpty();
        assertThat(Jid.parse("123@lid@lid")).isEmpty();
        assertThat(Jid.parse("123:300@lid")).isEmpty();
        assertThat(Jid.parse("120363025246125486:2@g.us")).isEmpty();
        assertThat(Jid.parse("@s.whatsapp.net")).isEmpty();
        assertThat(Jid.parse(null)).isEmpty();
    }

    @Test
    void aJidCannotBeBuiltWithAUserOfTheWrongShape() {
        assertThatThrownBy(() -> Jid.phone("+5511987654321")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Jid("1", 0, 1, Jid.GROUP_SERVER)).hasMessageContaining("no agent or device");
    }
}
