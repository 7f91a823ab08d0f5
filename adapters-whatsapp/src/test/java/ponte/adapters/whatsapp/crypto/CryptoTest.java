package ponte.adapters.whatsapp.crypto;

import static org.assertj.core.api.Assertions.assertThat;

import java.security.SecureRandom;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

class CryptoTest {

    private static final HexFormat HEX = HexFormat.of();
    private final SecureRandom random = new SecureRandom();

    @Test
    void hkdfMatchesRfc5869TestCaseOne() {
        byte[] okm = Hkdf.sha256(HEX.parseHex("0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b"),
                HEX.parseHex("000102030405060708090a0b0c"), HEX.parseHex("f0f1f2f3f4f5f6f7f8f9"), 42);

        assertThat(HEX.formatHex(okm)).isEqualTo(
                "3cb25f25faacd57a90434f64d0362f2a2d2d0a90cf1a5a4c5db02d56ecc4c5bf34007208d5b887185865");
    }

    @Test
    void x25519AgreementIsSymmetric() {
        KeyPair alice = KeyPair.generate(random);
        KeyPair bob = KeyPair.generate(random);

        assertThat(Curve25519.agree(alice.privateKey(), bob.publicKey()))
                .isEqualTo(Curve25519.agree(bob.privateKey(), alice.publicKey()));
    }

    @Test
    void x25519MatchesRfc7748TestVector() {
        KeyPair alice = KeyPair.fromPrivate(
                HEX.parseHex("77076d0a7318a57d3c16c17251b26645df4c2f87ebc0992ab177fba51db92c2a"));

        assertThat(HEX.formatHex(alice.publicKey()))
                .isEqualTo("8520f0098930a754748b7ddcb43ef75a0dbf3a0d26381af4eba4a98eaa9b4e6a");
    }

    @Test
    void xeddsaSignaturesVerifyWithTheMontgomeryKey() {
        KeyPair signer = KeyPair.generate(random);
        byte[] message = "certificate details".getBytes();

        assertThat(XEdDsa.verify(signer.publicKey(), message, XEdDsa.sign(signer.privateKey(), message, random)))
                .isTrue();
    }

    @Test
    void xeddsaRejectsATamperedMessageSignatureOrKey() {
        KeyPair signer = KeyPair.generate(random);
        byte[] message = "certificate details".getBytes();
        byte[] signature = XEdDsa.sign(signer.privateKey(), message, random);
        byte[] flippedSignature = signature.clone();
        flippedSignature[10] ^= 1;
        byte[] flippedMessage = message.clone();
        flippedMessage[0] ^= 1;

        assertThat(XEdDsa.verify(signer.publicKey(), message, flippedSignature)).isFalse();
        assertThat(XEdDsa.verify(signer.publicKey(), flippedMessage, signature)).isFalse();
        assertThat(XEdDsa.verify(KeyPair.generate(random).publicKey(), message, signature)).isFalse();
    }

    @Test
    void gcmNonceIsEightZeroBytesAndTheBigEndianCounter() {
        assertThat(HEX.formatHex(AesGcm.counterNonce(0x01020304))).isEqualTo("000000000000000001020304");
    }
}
