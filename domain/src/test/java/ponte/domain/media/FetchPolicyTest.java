package ponte.domain.media;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import org.junit.jupiter.api.Test;
import ponte.domain.validation.ValidationException;

class FetchPolicyTest {
    private final FetchPolicy guarded = new FetchPolicy(false);
    private final FetchPolicy open = new FetchPolicy(true);

    @Test
    void publicAddressesAreFetched() {
        assertThat(guarded.parse("url", "https://example.com/a.jpg")).hasHost("example.com");
        assertThat(guarded.refuses(InetAddress.ofLiteral("93.184.216.34"))).isFalse();
        assertThat(guarded.refuses(InetAddress.ofLiteral("2606:2800:220:1::1"))).isFalse();
    }

    @Test
    void loopbackAndPrivateNetworksAreRefusedUnlessAllowed() {
        for (var address : new String[] {"127.0.0.1", "10.1.2.3", "172.16.0.1", "192.168.1.1", "100.64.0.1",
                "0.0.0.0", "::1", "fd12::1", "::ffff:10.0.0.1", "224.0.0.1"}) {
            assertThat(guarded.refuses(InetAddress.ofLiteral(address))).as(address).isTrue();
            assertThat(open.refuses(InetAddress.ofLiteral(address))).as(address).isFalse();
        }
        assertThatThrownBy(() -> guarded.parse("url", "http://127.0.0.1:8080/x")).isInstanceOf(
                ValidationException.class).hasMessageContaining("PONTE_MEDIA_ALLOW_PRIVATE_URLS");
        assertThatThrownBy(() -> guarded.parse("url", "http://localhost/x")).isInstanceOf(ValidationException.class);
        assertThatThrownBy(() -> guarded.parse("url", "http://[::1]/x")).isInstanceOf(ValidationException.class);
        assertThat(open.parse("url", "http://127.0.0.1:8080/x")).hasPort(8080);
    }

    @Test
    void linkLocalAndMetadataStayRefusedEvenWhenPrivateIsAllowed() {
        assertThat(open.refuses(InetAddress.ofLiteral("169.254.169.254"))).isTrue();
        assertThat(open.refuses(InetAddress.ofLiteral("fe80::1"))).isTrue();
        assertThatThrownBy(() -> open.parse("url", "http://169.254.169.254/latest")).isInstanceOf(
                ValidationException.class);
        assertThatThrownBy(() -> open.parse("url", "http://metadata.google.internal/")).isInstanceOf(
                ValidationException.class);
        // the refusal speaks of media, not of the webhooks' setting, which would not help here
        assertThatThrownBy(() -> open.parse("url", "http://169.254.169.254/latest"))
                .hasMessageNotContaining("WEBHOOK").hasMessageContaining("media").hasMessageContaining("base64");
    }

    @Test
    void onlyHttpWithoutCredentials() {
        assertThatThrownBy(() -> open.parse("url", "file:///etc/passwd")).isInstanceOf(ValidationException.class);
        assertThatThrownBy(() -> open.parse("url", "ftp://example.com/x")).isInstanceOf(ValidationException.class);
        assertThatThrownBy(() -> open.parse("url", "https://user:pw@example.com/x"))
                .isInstanceOf(ValidationException.class).hasMessageNotContaining("authorization field")
                .hasMessageContaining("without any");
    }
}
