package ponte.domain.webhook;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import org.junit.jupiter.api.Test;
import ponte.domain.validation.ValidationException;

class TargetPolicyTest {
    private final TargetPolicy strict = new TargetPolicy(false);

    @Test
    void metadataAndLinkLocalLiteralsAreRefused() {
        for (var url : new String[] {"http://169.254.169.254/", "https://169.254.1.1:8443/x", "http://[fd00:ec2::254]/",
                "http://[fe80::1]/", "http://[::ffff:169.254.169.254]/", "http://metadata.google.internal./"}) {
            assertThatThrownBy(() -> strict.parse("url", url)).as(url).isInstanceOf(ValidationException.class)
                    .hasMessageContaining("link-local or cloud-metadata");
        }
    }

    @Test
    void loopbackPrivateAndPublicTargetsAreAllowed() {
        for (var url : new String[] {"http://127.0.0.1:8080/hook", "http://localhost/x", "http://10.0.0.5/",
                "https://example.com/in", "http://[::1]:9000/"}) {
            assertThat(strict.parse("url", url).toString()).isEqualTo(url);
        }
    }

    @Test
    void resolvedAddressesAreCheckedTheSameWay() throws Exception {
        assertThat(strict.refuses(InetAddress.ofLiteral("169.254.169.254"))).isTrue();
        assertThat(strict.refuses(InetAddress.ofLiteral("fd00:ec2::254"))).isTrue();
        assertThat(strict.refuses(InetAddress.ofLiteral("127.0.0.1"))).isFalse();
        assertThat(new TargetPolicy(true).refuses(InetAddress.ofLiteral("169.254.169.254"))).isFalse();
    }

    @Test
    void credentialsInTheUrlAreRefused() {
        assertThatThrownBy(() -> strict.parse("url", "https://user:pass@example.com/"))
                .hasMessageContaining("authorization");
    }
}
