package ponte.adapters.whatsapp.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.security.SecureRandom;
import org.junit.jupiter.api.Test;

/** The code-link primitives on their own, so they are checked even where the Baileys oracle cannot run. */
class LinkCodeTest {

    private final SecureRandom random = new SecureRandom();

    @Test
    void aKeyWrappedWithACodeUnwrapsWithTheSameCodeOnly() {
        byte[] publicKey = KeyPair.generate(random).publicKey();

        byte[] wrapped = LinkCode.wrap("ABCDEFGH", publicKey, random);

        assertThat(wrapped).hasSize(LinkCode.WRAPPED_LENGTH);
        assertThat(LinkCode.unwrap("ABCDEFGH", wrapped)).isEqualTo(publicKey);
        assertThat(LinkCode.unwrap("ABCDEFGJ", wrapped)).isNotEqualTo(publicKey);
    }

    @Test
    void aBundleOpensOnlyWithTheAgreementItWasSealedWith() {
        KeyPair a = KeyPair.generate(random);
        KeyPair b = KeyPair.generate(random);
        byte[] shared = Curve25519.agree(a.privateKey(), b.publicKey());
        byte[] bundle = new byte[96];
        random.nextBytes(bundle);

        byte[] sealed = LinkCode.sealBundle(shared, bundle, random);

        assertThat(LinkCode.openBundle(Curve25519.agree(b.privateKey(), a.publicKey()), sealed)).isEqualTo(bundle);
        byte[] other = Curve25519.agree(KeyPair.generate(random).privateKey(), b.publicKey());
        assertThatThrownBy(() -> LinkCode.openBundle(other, sealed)).isInstanceOf(CryptoException.class);
    }

    @Test
    void codesAreEightCharactersWithoutLookAlikesAndTypedFormsNormalise() {
        String code = LinkCode.newCode(random);

        assertThat(code).matches("[1-9A-HJ-NP-TV-Z]{8}");
        assertThat(LinkCode.display(code)).isEqualTo(code.substring(0, 4) + "-" + code.substring(4));
        assertThat(LinkCode.normalize(" abcd-efgh ")).isEqualTo("ABCDEFGH");
        assertThat(LinkCode.isWellFormed(code)).isTrue();
        assertThat(LinkCode.isWellFormed("ABCDEFG0")).isFalse();
        assertThat(LinkCode.isWellFormed("ABCDEFG")).isFalse();
    }
}
