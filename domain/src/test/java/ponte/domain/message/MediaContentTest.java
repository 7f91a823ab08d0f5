package ponte.domain.message;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Optional;
import org.junit.jupiter.api.Test;
import ponte.domain.validation.ValidationException;

/**
 * The media send's fields that need more than a shape check: data URLs in {@code base64}, and file names (a sent
 * one's and a received one's).
 */
class MediaContentTest {
    private static final String TO = "5511987650001";

    private static MediaContent media(String base64, String fileName, String mimeType) {
        return (MediaContent) OutgoingMessage.media(TO, MediaType.DOCUMENT, null, base64, null, fileName, mimeType,
                null, null, null, null, null).content();
    }

    @Test
    void aDataUrlIsTakenAndItsMimeTypeIsAHint() {
        var plain = media("aGVsbG8=", null, null);
        var dataUrl = media("data:application/pdf;base64,aGVsbG8=", null, null);
        assertThat(((MediaContent.Source.Inline) dataUrl.source()).bytes())
                .isEqualTo(((MediaContent.Source.Inline) plain.source()).bytes()).isEqualTo("hello".getBytes());
        assertThat(dataUrl.mimeType()).contains("application/pdf");
        assertThat(media("data:text/plain;charset=utf-8;base64,aGVsbG8=", null, "application/pdf").mimeType())
                .as("an explicit mime_type wins").contains("application/pdf");
        assertThatThrownBy(() -> media("data:application/pdf,aGVsbG8=", null, null))
                .as("only base64 data URLs").isInstanceOf(ValidationException.class).hasMessageContaining("base64");
    }

    @Test
    void aFileNameKeepsOnlyItsLastSegmentWithoutControlCharacters() {
        assertThat(media("aGVsbG8=", "../../etc/passwd", null).fileName()).contains("passwd");
        assertThat(media("aGVsbG8=", "C:\\Users\\x\\nota.pdf", null).fileName()).contains("nota.pdf");
        assertThat(media("aGVsbG8=", "fatura\u202Efdp.exe", null).fileName()).contains("faturafdp.exe");
        assertThat(media("aGVsbG8=", "a\nb\u0000.pdf", null).fileName()).contains("ab.pdf");
        assertThat(MediaContent.safeFileName("recibo.pdf")).contains("recibo.pdf");
        assertThat(MediaContent.safeFileName("../..")).isEqualTo(Optional.empty());
        for (var nothing : new String[] {"../", "..", "/", "\u0007"}) {
            assertThatThrownBy(() -> media("aGVsbG8=", nothing, null)).as(nothing)
                    .isInstanceOfSatisfying(ValidationException.class, e -> assertThat(e.violations())
                            .anySatisfy(v -> assertThat(v.field()).isEqualTo("file_name")));
        }
    }

    @Test
    void aReceivedFileNameIsCleanedAsASentOneIs() {
        assertThat(received("../../etc/passwd")).contains("passwd");
        assertThat(received("fatura\u202Efdp.exe")).contains("faturafdp.exe");
        assertThat(received("C:\\Users\\x\\a\nb.pdf")).contains("ab.pdf");
        assertThat(received("recibo.pdf")).contains("recibo.pdf");
        assertThat(received("../\u0007")).as("nothing left: no file name").isEmpty();
    }

    private static Optional<String> received(String name) {
        return new MediaInfo("application/pdf", Optional.of(name), java.util.OptionalLong.empty(), Optional.empty(),
                java.util.OptionalInt.empty(), java.util.OptionalInt.empty(), java.util.OptionalInt.empty(),
                Optional.empty(), false, false, false, Optional.empty()).fileName();
    }
}
