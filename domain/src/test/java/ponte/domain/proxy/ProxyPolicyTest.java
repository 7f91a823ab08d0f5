package ponte.domain.proxy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Optional;
import org.junit.jupiter.api.Test;
import ponte.domain.validation.ValidationException;

class ProxyPolicyTest {
    private static final Proxy TENANT = ProxyPolicy.fromUrl("http://tenant.example:8080");
    private static final Proxy OVERRIDE = ProxyPolicy.fromUrl("socks5://own.example:1080");

    @Test
    void aProxyUrlIsReadWithItsCredentials() {
        var proxy = ProxyPolicy.fromUrl("socks5://user:s3cret@proxy.example.com:1080");
        assertThat(proxy).isEqualTo(new Proxy(ProxyProtocol.SOCKS5, "proxy.example.com", 1080, "user", "s3cret"));
    }

    @Test
    void percentEncodedCredentialsAreDecoded() {
        var proxy = ProxyPolicy.fromUrl("http://us%40er:p%3Ass%2Fw+rd@10.0.0.5:3128");
        assertThat(proxy.username()).isEqualTo("us@er");
        assertThat(proxy.password()).isEqualTo("p:ss/w+rd");
    }

    @Test
    void theSplitFormGivesTheSameProxyAsTheUrl() {
        var split = ProxyPolicy.read(new ProxyInput(null, "socks5", "proxy.example.com", 1080, "user", "s3cret"));
        assertThat(split).isEqualTo(ProxyPolicy.fromUrl("socks5://user:s3cret@proxy.example.com:1080"));
    }

    @Test
    void thePasswordIsMaskedInTheUrlAndInToString() {
        var proxy = ProxyPolicy.fromUrl("socks5://user:s3cret@proxy.example.com:1080");
        assertThat(proxy.maskedUrl()).isEqualTo("socks5://user:***@proxy.example.com:1080");
        assertThat(proxy.toString()).doesNotContain("s3cret");
    }

    @Test
    void aProxyWithoutCredentialsShowsNoUserInfo() {
        assertThat(ProxyPolicy.fromUrl("https://10.1.2.3:443").maskedUrl()).isEqualTo("https://10.1.2.3:443");
    }

    @Test
    void anIpv6HostIsAcceptedAndShownInBrackets() {
        assertThat(ProxyPolicy.fromUrl("http://[2001:db8::1]:8080").maskedUrl()).isEqualTo("http://[2001:db8::1]:8080");
    }

    @Test
    void onlyHttpHttpsAndSocks5AreAccepted() {
        assertProblem(() -> ProxyPolicy.fromUrl("ftp://proxy.example.com:21"), "proxy_url", "scheme");
        assertProblem(() -> ProxyPolicy.fromParts("socks4", "proxy.example.com", 1080, null, null), "protocol",
                "http, https or socks5");
    }

    @Test
    void thePortMustBeFrom1To65535() {
        assertProblem(() -> ProxyPolicy.fromParts("http", "proxy.example.com", 0, null, null), "port", "1 to 65535");
        assertProblem(() -> ProxyPolicy.fromParts("http", "proxy.example.com", 65_536, null, null), "port",
                "1 to 65535");
        assertProblem(() -> ProxyPolicy.fromUrl("http://proxy.example.com"), "proxy_url", "port");
    }

    @Test
    void theHostMustBeAHostnameOrAnIpAddress() {
        assertProblem(() -> ProxyPolicy.fromParts("http", "bad host!", 80, null, null), "host", "hostname");
        assertProblem(() -> ProxyPolicy.fromParts("http", "300.1.1.1", 80, null, null), "host", "hostname");
        assertProblem(() -> ProxyPolicy.fromParts("http", "-leading.example", 80, null, null), "host", "hostname");
        assertThat(ProxyPolicy.isValidHost("proxy-1.eu.example.com")).isTrue();
        assertThat(ProxyPolicy.isValidHost("192.168.0.10")).isTrue();
    }

    @Test
    void aPasswordNeedsAUsername() {
        assertProblem(() -> ProxyPolicy.fromParts("http", "proxy.example.com", 80, null, "pw"), "password",
                "username");
    }

    @Test
    void aUrlWithAPathIsRefused() {
        assertProblem(() -> ProxyPolicy.fromUrl("http://proxy.example.com:80/path"), "proxy_url", "path");
    }

    @Test
    void bothFormsAtOnceAreRefused() {
        assertProblem(() -> ProxyPolicy.read(new ProxyInput("http://a.example:1", "http", "b.example", 2, null, null)),
                "proxy_url", "either");
    }

    @Test
    void anEmptyBodyIsRefused() {
        assertProblem(() -> ProxyPolicy.read(new ProxyInput(null, null, null, null, null, null)), "proxy_url",
                "required");
    }

    @Test
    void proxyOverrideWinsOverTenantProxy() {
        var effective = ProxyPolicy.effective(Optional.of(OVERRIDE), Optional.of(TENANT));
        assertThat(effective).isEqualTo(new EffectiveProxy(ProxySource.INSTANCE, Optional.of(OVERRIDE)));
    }

    @Test
    void withoutAnOverrideTheTenantProxyApplies() {
        assertThat(ProxyPolicy.effective(Optional.empty(), Optional.of(TENANT)).source()).isEqualTo(ProxySource.TENANT);
    }

    @Test
    void withNeitherTheInstanceDialsDirectly() {
        assertThat(ProxyPolicy.effective(Optional.empty(), Optional.empty())).isEqualTo(EffectiveProxy.NONE);
    }

    @Test
    void aTenantChangeReconnectsOnlyOnlineInstancesWithoutOverride() {
        assertThat(ProxyPolicy.tenantChangeReconnects(true, false)).isTrue();
        assertThat(ProxyPolicy.tenantChangeReconnects(true, true)).isFalse();
        assertThat(ProxyPolicy.tenantChangeReconnects(false, false)).isFalse();
    }

    private static void assertProblem(Runnable action, String field, String problemPart) {
        assertThatThrownBy(action::run).isInstanceOfSatisfying(ValidationException.class, e ->
                assertThat(e.violations()).anySatisfy(v -> {
                    assertThat(v.field()).isEqualTo(field);
                    assertThat(v.problem()).contains(problemPart);
                }));
    }
}
