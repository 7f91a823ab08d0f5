package ponte.adapters.whatsapp.media;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.security.SecureRandom;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import ponte.adapters.whatsapp.crypto.CryptoException;
import ponte.adapters.whatsapp.fuzz.NetworkInput;
import ponte.adapters.whatsapp.fuzz.Seeds;
import ponte.adapters.whatsapp.proto.MediaRetryProto.MediaRetryNotification;

/**
 * Coverage-guided fuzzing of media retry payloads (issue 17 item 3): the {@code enc_iv} and {@code enc_p} of a peer's
 * answer or request either open with the file's media key or fail with {@link CryptoException}, whatever their sizes.
 * Input: one byte giving the IV's length, the IV, then the ciphertext.
 */
class MediaRetryFuzzTest {

    private static final byte[] MEDIA_KEY = new byte[32];
    private static final String ID = "3EB0C0FFEE";

    @FuzzTest(maxDuration = "90s")
    void openNotification(byte[] input) {
        NetworkInput.decodes(input.length, () -> {
            MediaRetryCrypto.Sealed sealed = split(input);
            MediaRetryCrypto.openNotification(MEDIA_KEY, ID, sealed);
            MediaRetryCrypto.openRequest(MEDIA_KEY, ID, sealed);
        }, CryptoException.class);
    }

    /** Seed: a real sealed answer, which opens. */
    @Test
    void seedIsARealAnswer() {
        var answer = MediaRetryNotification.newBuilder().setStanzaId(ID).setDirectPath("/v/t62/abc")
                .setResult(MediaRetryNotification.ResultType.SUCCESS).build();
        var sealed = MediaRetryCrypto.sealNotification(MEDIA_KEY, ID, answer, new SecureRandom());
        byte[] input = new byte[1 + sealed.iv().length + sealed.ciphertext().length];
        input[0] = (byte) sealed.iv().length;
        System.arraycopy(sealed.iv(), 0, input, 1, sealed.iv().length);
        System.arraycopy(sealed.ciphertext(), 0, input, 1 + sealed.iv().length, sealed.ciphertext().length);
        Seeds.write(MediaRetryFuzzTest.class, "openNotification", input);
        assertThat(MediaRetryCrypto.openNotification(MEDIA_KEY, ID, split(input))).isEqualTo(answer);
    }

    private static MediaRetryCrypto.Sealed split(byte[] input) {
        int ivLength = input.length == 0 ? 0 : Math.min(input[0] & 0xff, input.length - 1);
        byte[] iv = Arrays.copyOfRange(input, input.length == 0 ? 0 : 1, 1 + ivLength);
        return new MediaRetryCrypto.Sealed(Arrays.copyOfRange(input, Math.min(input.length, 1 + ivLength),
                input.length), iv);
    }
}
