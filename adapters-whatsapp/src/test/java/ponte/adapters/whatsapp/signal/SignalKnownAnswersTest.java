package ponte.adapters.whatsapp.signal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

/**
 * Our derivations against answers computed once with libsignal-node's {@code crypto.js} (calculateMAC,
 * deriveSecrets) on fixed inputs, so they are checked even where Node is not installed.
 */
class SignalKnownAnswersTest {

    private static final HexFormat HEX = HexFormat.of();
    private static final byte[] CHAIN_KEY = filled(32, 0x11);

    @Test
    void chainStepMatchesLibsignal() throws Exception {
        Chain chain = new Chain(new byte[33], 0, CHAIN_KEY.clone());

        byte[] seed = chain.keyFor(0);

        assertThat(HEX.formatHex(seed)).isEqualTo("c4ede064b5f2a51225b2175e5b84fb73f9cec689ac3d912ac4878f7ebeab0149");
        assertThat(HEX.formatHex(chain.chainKey))
                .isEqualTo("ed50b271f4852277c8218e209858d8bd32a3228a9e4fb6b5a16fb9b4755c53bc");
        assertThat(chain.nextIndex).isEqualTo(1);
    }

    @Test
    void messageKeysMatchLibsignal() {
        byte[] seed = HEX.parseHex("c4ede064b5f2a51225b2175e5b84fb73f9cec689ac3d912ac4878f7ebeab0149");

        byte[][] keys = Keys.derive(seed, Keys.ZERO_SALT, "WhisperMessageKeys", 3);

        assertThat(HEX.formatHex(keys[0]))
                .isEqualTo("53031ec57f7cc1cd1045608cc9d5900b22b4df98d0368247d28d3eae088a55e0");
        assertThat(HEX.formatHex(keys[1]))
                .isEqualTo("44566a9f1affff4f4645f2fb5af9c98d650aea625c1a8ee48c473e5041f4699d");
        assertThat(HEX.formatHex(Arrays.copyOf(keys[2], 16))).isEqualTo("6fc90acfcbeef67b0ee4941ac2d04f3d");
    }

    @Test
    void rootAndX3dhDerivationsMatchLibsignal() {
        byte[][] ratchet = Keys.derive(filled(32, 0x33), filled(32, 0x22), "WhisperRatchet", 2);
        byte[] secret = new byte[128];
        Arrays.fill(secret, 0, 32, (byte) 0xff);
        Arrays.fill(secret, 32, 128, (byte) 0x44);

        assertThat(HEX.formatHex(ratchet[0]))
                .isEqualTo("8f03a01ad5b36391e48833034c52980d3fbd05dc6e62430f6b90c5c5696e1f13");
        assertThat(HEX.formatHex(ratchet[1]))
                .isEqualTo("debb8cdd19d671accb7d7620e8ee6f0c5ddc29db4f548a0aec733bbc65a01c64");
        assertThat(HEX.formatHex(Keys.derive(secret, Keys.ZERO_SALT, "WhisperText", 1)[0]))
                .isEqualTo("63e604dcb1d57b1903e941ce97c3720f7d541fcae53cb9bfb0a6022ae7b519cb");
    }

    @Test
    void senderMessageKeysMatchBaileys() {
        byte[] expanded = ponte.adapters.whatsapp.crypto.Bytes.concat(Keys.derive(
                HEX.parseHex("c4ede064b5f2a51225b2175e5b84fb73f9cec689ac3d912ac4878f7ebeab0149"), Keys.ZERO_SALT,
                "WhisperGroup", 2));

        assertThat(HEX.formatHex(Arrays.copyOf(expanded, 16))).isEqualTo("99f84d6adaf0663bb79e1f541e232e70");
        assertThat(HEX.formatHex(Arrays.copyOfRange(expanded, 16, 48)))
                .isEqualTo("72000d68346a05ffb143906cf02137458d26f53db8af9aa8f3bfb17c60622a8a");
    }

    private static byte[] filled(int length, int value) {
        byte[] out = new byte[length];
        Arrays.fill(out, (byte) value);
        return out;
    }
}
