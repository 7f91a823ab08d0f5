package ponte.domain.egress;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import org.junit.jupiter.api.Test;
import ponte.domain.validation.ValidationException;

class EgressPolicyTest {
    private final EgressPolicy strict = EgressPolicy.STRICT;
    private final EgressPolicy privateAllowed = new EgressPolicy(true, false);
    private final EgressPolicy everything = new EgressPolicy(true, true);

    private static final String[] PRIVATE = {"127.0.0.1", "127.8.9.10", "10.1.2.3", "172.16.0.1", "172.31.255.1",
            "192.168.1.1", "100.64.0.1", "198.18.0.1", "::1", "fd12::1", "fec0::1", "::ffff:10.0.0.1",
            "::ffff:127.0.0.1", "::127.0.0.1", "64:ff9b::7f00:1", "2002:7f00:1::1", "2001:0:4136:e378:8000:63bf:80ff:fffe"};
    private static final String[] LINK_LOCAL = {"169.254.169.254", "169.254.1.1", "fe80::1", "fd00:ec2::254",
            "100.100.100.200", "::ffff:169.254.169.254", "::169.254.169.254", "64:ff9b::a9fe:a9fe", "2002:a9fe:a9fe::"};
    private static final String[] NEVER = {"0.0.0.0", "0.1.2.3", "::", "224.0.0.1", "239.1.1.1", "255.255.255.255",
            "240.0.0.1", "ff02::1", "::ffff:0.0.0.0"};
    private static final String[] PUBLIC = {"93.184.216.34", "8.8.8.8", "2606:2800:220:1::1", "172.32.0.1",
            "100.128.0.1", "::ffff:93.184.216.34"};

    @Test
    void everyKindOfAddressIsClassifiedInEveryEncoding() {
        for (var a : PRIVATE) {
            assertThat(EgressPolicy.classify(InetAddress.ofLiteral(a))).as(a).isEqualTo(EgressPolicy.Kind.PRIVATE);
        }
        for (var a : LINK_LOCAL) {
            assertThat(EgressPolicy.classify(InetAddress.ofLiteral(a))).as(a).isEqualTo(EgressPolicy.Kind.LINK_LOCAL);
        }
        for (var a : NEVER) {
            assertThat(EgressPolicy.classify(InetAddress.ofLiteral(a))).as(a).isEqualTo(EgressPolicy.Kind.NEVER);
        }
        for (var a : PUBLIC) {
            assertThat(EgressPolicy.classify(InetAddress.ofLiteral(a))).as(a).isEqualTo(EgressPolicy.Kind.PUBLIC);
        }
    }

    @Test
    void privateNeedsItsSettingAndMetadataStaysRefusedUnlessExplicitlyAllowed() {
        for (var a : PRIVATE) {
            var address = InetAddress.ofLiteral(a);
            assertThat(strict.refusal(address)).as(a).hasValueSatisfying(
                    reason -> assertThat(reason).contains("PONTE_EGRESS_ALLOW_PRIVATE=true"));
            assertThat(privateAllowed.refuses(address)).as(a).isFalse();
        }
        for (var a : LINK_LOCAL) {
            var address = InetAddress.ofLiteral(a);
            assertThat(strict.refuses(address)).as(a).isTrue();
            assertThat(privateAllowed.refusal(address)).as(a).hasValueSatisfying(
                    reason -> assertThat(reason).contains("link-local or cloud-metadata")
                            .contains("PONTE_EGRESS_ALLOW_LINK_LOCAL=true"));
            assertThat(everything.refuses(address)).as(a).isFalse();
        }
        for (var a : NEVER) {
            assertThat(everything.refuses(InetAddress.ofLiteral(a))).as(a).isTrue();
        }
        for (var a : PUBLIC) {
            assertThat(strict.refuses(InetAddress.ofLiteral(a))).as(a).isFalse();
        }
    }

    @Test
    void urlsAreRefusedAsWrittenInAnySpelling() {
        for (var url : new String[] {"http://127.0.0.1:8080/x", "http://localhost/x", "http://a.localhost./",
                "http://[::1]/x", "http://2130706433/", "http://0177.0.0.1/",
                "http://[::ffff:7f00:1]/", "http://10.0.0.5/"}) {
            assertThatThrownBy(() -> strict.parse("url", url)).as(url).isInstanceOf(ValidationException.class)
                    .hasMessageContaining("PONTE_EGRESS_ALLOW_PRIVATE");
            assertThat(privateAllowed.parse("url", url)).as(url).isNotNull();
        }
        for (var url : new String[] {"http://169.254.169.254/", "https://169.254.1.1:8443/x",
                "http://[fd00:ec2::254]/", "http://[fe80::1]/", "http://[::ffff:169.254.169.254]/",
                "http://metadata.google.internal./", "http://2852039166/"}) {
            assertThatThrownBy(() -> privateAllowed.parse("url", url)).as(url)
                    .isInstanceOf(ValidationException.class).hasMessageContaining("link-local or cloud-metadata");
            assertThat(everything.parse("url", url)).as(url).isNotNull();
        }
        assertThatThrownBy(() -> everything.parse("url", "http://0.0.0.0:8080/")).hasMessageContaining("never");
        // java.net.URI reads no host in a hex spelling: refused before any check of the address
        for (var url : new String[] {"http://0x7f.1/", "http://127.1/"}) {
            assertThatThrownBy(() -> everything.parse("url", url)).hasMessageContaining("must name a host");
        }
    }

    @Test
    void hostsInInetAtonSpellingsAreReadAsTheResolverReadsThem() {
        for (var host : new String[] {"0xa9.0xfe.0xa9.0xfe", "0251.0376.0251.0376", "169.16689662", "0xa9fea9fe"}) {
            assertThat(privateAllowed.hostRefusal(host)).as(host).hasValueSatisfying(
                    reason -> assertThat(reason).contains("link-local or cloud-metadata"));
        }
        for (var host : new String[] {"0x7f.1", "127.1", "0177.1", "017700000001"}) {
            assertThat(strict.hostRefusal(host)).as(host).isPresent();
        }
        assertThat(strict.hostRefusal("0x7f.example")).isEmpty();
    }

    @Test
    void publicUrlsPassAndNamesAreLeftToTheResolver() {
        for (var url : new String[] {"https://example.com/in", "http://93.184.216.34/", "http://1e100.net/",
                "http://0x.example/", "https://[2606:2800:220:1::1]/"}) {
            assertThat(strict.parse("url", url).toString()).as(url).isEqualTo(url);
        }
    }

    @Test
    void malformedSchemesAndCredentialsAreRefused() {
        assertThatThrownBy(() -> strict.parse("url", "ftp://example.com/")).hasMessageContaining("http or https");
        assertThatThrownBy(() -> strict.parse("url", "file:///etc/passwd")).hasMessageContaining("http or https");
        assertThatThrownBy(() -> strict.parse("url", "https://user:pass@example.com/"))
                .hasMessageContaining("credentials");
        assertThatThrownBy(() -> strict.parse("url", " ")).hasMessageContaining("required");
        assertThatThrownBy(() -> strict.parse("url", "http://exa mple.com/")).hasMessageContaining("valid URL");
    }
}
