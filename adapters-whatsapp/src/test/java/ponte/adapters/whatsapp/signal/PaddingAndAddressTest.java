package ponte.adapters.whatsapp.signal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.security.SecureRandom;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.Set;
import org.junit.jupiter.api.Test;

class PaddingAndAddressTest {

    private static final HexFormat HEX = HexFormat.of();

    @Test
    void paddingIsOneToSixteenBytesEachEqualToItsLength() throws Exception {
        SecureRandom random = new SecureRandom();
        byte[] message = {1, 2, 3};
        Set<Integer> lengths = new HashSet<>();
        for (int i = 0; i < 2000; i++) {
            byte[] padded = Padding.pad(message, random);
            int length = padded.length - message.length;
            lengths.add(length);
            for (int at = message.length; at < padded.length; at++) {
                assertThat(padded[at]).isEqualTo((byte) length);
            }
            assertThat(Padding.unpad(padded)).isEqualTo(message);
        }
        assertThat(lengths).hasSize(16).allMatch(length -> length >= 1 && length <= 16);
    }

    @Test
    void unpadStripsTheCountedBytes() throws Exception {
        assertThat(Padding.unpad(HEX.parseHex("0a0b0c030303"))).isEqualTo(HEX.parseHex("0a0b0c"));
        assertThat(Padding.unpad(HEX.parseHex("01"))).isEmpty();
    }

    @Test
    void unpadRefusesMalformedPadding() {
        for (String bad : new String[] {"", "0a00", "0a05", "0a0b0203", "0a0b0c0304"}) {
            assertThatThrownBy(() -> Padding.unpad(HEX.parseHex(bad))).as(bad).isInstanceOf(SignalException.class)
                    .extracting(e -> ((SignalException) e).reason())
                    .isEqualTo(SignalException.Reason.INVALID_MESSAGE);
        }
    }

    @Test
    void addressesReadAndWriteUserAgentAndDevice() {
        assertThat(SignalAddress.parse("5511987654321.0")).isEqualTo(SignalAddress.of("5511987654321", 0));
        assertThat(SignalAddress.parse("987654321_1.3")).isEqualTo(new SignalAddress("987654321", 1, 3));
        assertThat(new SignalAddress("987654321", 1, 3).toString()).isEqualTo("987654321_1.3");
        assertThat(new SignalAddress("987654321", 1, 3).name()).isEqualTo("987654321_1");
        assertThat(SignalAddress.of("5511987654321", 12).toString()).isEqualTo("5511987654321.12");
        assertThat(new SenderKeyName("1203@g.us", new SignalAddress("98", 1, 2)).toString())
                .isEqualTo("1203@g.us::98_1::2");
        for (String bad : new String[] {"", "123", "12.3.4", "a_b_1.2", "12_.3", "1@s.whatsapp.net.0", "12.-1"}) {
            assertThatThrownBy(() -> SignalAddress.parse(bad)).as(bad).isInstanceOf(IllegalArgumentException.class);
        }
    }

    @Test
    void identityKeysCarryTheTypeByte() throws Exception {
        byte[] key = new byte[32];
        key[0] = 9;
        IdentityKey identity = new IdentityKey(key);

        assertThat(identity.serialize()).hasSize(33).startsWith(5, 9);
        assertThat(IdentityKey.parse(identity.serialize())).isEqualTo(identity);
        assertThatThrownBy(() -> IdentityKey.parse(key)).isInstanceOf(SignalException.class);
        byte[] wrongType = identity.serialize();
        wrongType[0] = 6;
        assertThatThrownBy(() -> IdentityKey.parse(wrongType)).isInstanceOf(SignalException.class);
    }
}
