package ponte.adapters.delivery.egress;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import ponte.adapters.delivery.chatwoot.ChatwootClient;
import ponte.application.port.out.ChatwootInboxPort;
import ponte.domain.egress.EgressPolicy;
import ponte.domain.integration.IntegrationStatus;

/**
 * The egress client against a real HTTP receiver on loopback and a resolver that changes its answer between two
 * lookups (DNS rebinding): the request goes to the address that was checked, or nowhere, never to the second answer.
 */
class EgressTest {
    private static final InetAddress LOOPBACK = InetAddress.ofLiteral("127.0.0.1");
    private static final InetAddress METADATA = InetAddress.ofLiteral("169.254.169.254");
    /** TEST-NET-1 (RFC 5737): public as far as the policy knows, routed nowhere. */
    private static final InetAddress PUBLIC_LOOKING = InetAddress.ofLiteral("192.0.2.10");

    private final HttpServer receiver;
    private final List<String> received = new CopyOnWriteArrayList<>();
    private Egress egress;

    EgressTest() throws IOException {
        receiver = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        receiver.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        receiver.createContext("/", exchange -> {
            try (exchange) {
                received.add(exchange.getRequestMethod() + " " + exchange.getRequestURI() + " Host="
                        + exchange.getRequestHeaders().getFirst("Host"));
                exchange.getRequestBody().readAllBytes();
                var body = "{\"ok\":true}".getBytes(StandardCharsets.UTF_8);
                exchange.sendResponseHeaders(200, body.length);
                exchange.getResponseBody().write(body);
            }
        });
        receiver.start();
    }

    @AfterEach
    void stop() {
        receiver.stop(0);
        if (egress != null) {
            egress.close();
        }
    }

    /** Answers {@code first} to the first lookup and {@code then} to every later one; counts the lookups. */
    private static final class Rebinding implements Egress.Resolver {
        final AtomicInteger lookups = new AtomicInteger();
        private final InetAddress first;
        private final InetAddress then;

        Rebinding(InetAddress first, InetAddress then) {
            this.first = first;
            this.then = then;
        }

        @Override
        public List<InetAddress> resolve(String host) {
            return List.of(lookups.getAndIncrement() == 0 ? first : then);
        }
    }

    private String url(String host, String path) {
        return "http://" + host + ":" + receiver.getAddress().getPort() + path;
    }

    @Test
    void aNameThatRebindsToTheMetadataServiceAfterTheCheckIsStillConnectedToTheCheckedAddress() throws Exception {
        var resolver = new Rebinding(LOOPBACK, METADATA);
        egress = new Egress("test", new EgressPolicy(true, false), resolver, Duration.ofSeconds(2), 1024, null);
        var response = egress.send(HttpRequest.newBuilder(URI.create(url("hooks.example", "/in")))
                .timeout(Duration.ofSeconds(5)).POST(HttpRequest.BodyPublishers.ofString("{}")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).isEqualTo("{\"ok\":true}");
        // one lookup, checked and connected to; the Host header keeps the name the user gave
        assertThat(resolver.lookups).hasValue(1);
        assertThat(received).containsExactly("POST /in Host=hooks.example:" + receiver.getAddress().getPort());
    }

    @Test
    void aNameThatFirstAnswersAPublicAddressThenLoopbackNeverReachesLoopback() {
        var resolver = new Rebinding(PUBLIC_LOOKING, LOOPBACK);
        egress = new Egress("test", EgressPolicy.STRICT, resolver, Duration.ofSeconds(1), 1024, null);
        assertThatThrownBy(() -> egress.send(HttpRequest.newBuilder(URI.create(url("media.example", "/a.jpg")))
                .timeout(Duration.ofSeconds(3)).GET().build(), HttpResponse.BodyHandlers.ofString()))
                .isInstanceOf(IOException.class).isNotInstanceOf(Egress.Refused.class);
        assertThat(resolver.lookups).hasValue(1);
        assertThat(received).isEmpty();
    }

    @Test
    void aNameThatAnswersARefusedAddressIsRefusedBeforeAnyConnection() {
        var resolver = new Rebinding(LOOPBACK, PUBLIC_LOOKING);
        egress = new Egress("test", EgressPolicy.STRICT, resolver, Duration.ofSeconds(1), 1024, null);
        assertThatThrownBy(() -> egress.send(HttpRequest.newBuilder(URI.create(url("media.example", "/a.jpg")))
                .GET().build(), HttpResponse.BodyHandlers.ofString()))
                .isInstanceOf(Egress.Refused.class)
                .hasMessage("refused: media.example resolves to 127.0.0.1, a loopback or private-network address, "
                        + "which the gateway does not reach; set PONTE_EGRESS_ALLOW_PRIVATE=true to allow it");
        assertThat(received).isEmpty();
    }

    @Test
    void oneRefusedAddressAmongSeveralRefusesTheHost() {
        egress = new Egress("test", new EgressPolicy(true, false), host -> List.of(LOOPBACK, METADATA),
                Duration.ofSeconds(1), 1024, null);
        assertThatThrownBy(() -> egress.send(HttpRequest.newBuilder(URI.create(url("twin.example", "/")))
                .GET().build(), HttpResponse.BodyHandlers.discarding()))
                .isInstanceOf(Egress.Refused.class).hasMessageContaining("169.254.169.254")
                .hasMessageContaining("PONTE_EGRESS_ALLOW_LINK_LOCAL");
        assertThat(received).isEmpty();
    }

    @Test
    void metadataNamesAndLiteralsAreRefusedWithoutAsking() {
        var resolver = new Rebinding(LOOPBACK, LOOPBACK);
        egress = new Egress("test", new EgressPolicy(true, false), resolver, Duration.ofSeconds(1), 1024, null);
        for (var host : new String[] {"metadata.google.internal", "169.254.169.254", "[fd00:ec2::254]"}) {
            assertThatThrownBy(() -> egress.send(HttpRequest.newBuilder(URI.create("http://" + host + "/latest"))
                    .GET().build(), HttpResponse.BodyHandlers.discarding()))
                    .as(host).isInstanceOf(Egress.Refused.class).hasMessageContaining("link-local or cloud-metadata");
        }
        assertThat(resolver.lookups).hasValue(0);
    }

    @Test
    void anAnswerOverTheCapAndHeadersTheClientOwnsAreRefused() {
        receiver.createContext("/big", exchange -> {
            try (exchange) {
                exchange.sendResponseHeaders(200, 0);
                exchange.getResponseBody().write(new byte[5000]);
            }
        });
        egress = new Egress("test", new EgressPolicy(true, false), host -> List.of(LOOPBACK), Duration.ofSeconds(1),
                1024, null);
        assertThatThrownBy(() -> egress.send(HttpRequest.newBuilder(URI.create(url("big.example", "/big")))
                .GET().build(), HttpResponse.BodyHandlers.ofByteArray()))
                .isInstanceOf(IOException.class).hasMessageContaining("larger than 1024 bytes");
        assertThatThrownBy(() -> egress.open("GET", URI.create(url("big.example", "/")),
                Map.of("Host", List.of("169.254.169.254")), null, Duration.ofSeconds(1), Duration.ofSeconds(1)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("Host");
    }

    /** Found by ChatwootRoutesTest: Jetty's authentication handler turned a 401 without a challenge into a 500. */
    @Test
    void everyStatusComesBackAsItIsAnswered() throws Exception {
        receiver.createContext("/status", exchange -> {
            try (exchange) {
                int status = Integer.parseInt(exchange.getRequestURI().getQuery());
                if (status == 302) {
                    exchange.getResponseHeaders().set("Location", "http://169.254.169.254/");
                }
                exchange.sendResponseHeaders(status, -1);
            }
        });
        egress = new Egress("test", new EgressPolicy(true, false), host -> List.of(LOOPBACK), Duration.ofSeconds(1),
                1024, null);
        for (int status : new int[] {204, 302, 401, 407, 500}) {
            var response = egress.send(HttpRequest.newBuilder(URI.create(url("status.example", "/status?" + status)))
                    .GET().build(), HttpResponse.BodyHandlers.ofString());
            assertThat(response.statusCode()).isEqualTo(status);
        }
    }

    @Test
    void aBlockedChatwootIsAnActivationFailureThatSaysWhy() {
        egress = new Egress("test", new EgressPolicy(true, false), host -> List.of(METADATA), Duration.ofSeconds(1),
                1024, null);
        var client = new ChatwootClient(egress, URI.create("https://ponte.example"), Duration.ofSeconds(2));
        var activation = client.activate(java.util.UUID.randomUUID(), new ponte.domain.integration.ChatwootConfig(
                true, "https://chatwoot.example", 1L, "WhatsApp", false, false, false, false), "token-0123456789", "cws_0123456789");
        assertThat(activation.status()).isNotEqualTo(IntegrationStatus.OK);
        assertThat(activation.status().reason()).contains("chatwoot.example resolves to 169.254.169.254")
                .contains("PONTE_EGRESS_ALLOW_LINK_LOCAL");
        assertThat(received).isEmpty();
    }

    @Test
    void chatwootOnAnAllowedAddressIsReached() {
        receiver.removeContext("/");
        receiver.createContext("/", exchange -> {
            try (exchange) {
                received.add(exchange.getRequestURI().getPath() + " token="
                        + exchange.getRequestHeaders().getFirst("api_access_token"));
                var body = "{\"payload\":[{\"id\":7,\"name\":\"WhatsApp\",\"channel_type\":\"Channel::Api\","
                        + "\"webhook_url\":\"https://ponte.example/v1/chatwoot/webhook/"
                        + "00000000-0000-0000-0000-000000000001?secret=cws_0123456789\"}]}";
                var bytes = body.getBytes(StandardCharsets.UTF_8);
                exchange.sendResponseHeaders(200, bytes.length);
                exchange.getResponseBody().write(bytes);
            }
        });
        egress = new Egress("test", new EgressPolicy(true, false), host -> List.of(LOOPBACK), Duration.ofSeconds(1),
                1 << 20, null);
        var client = new ChatwootClient(egress, URI.create("https://ponte.example"), Duration.ofSeconds(2));
        ChatwootInboxPort.Activation activation = client.activate(
                java.util.UUID.fromString("00000000-0000-0000-0000-000000000001"),
                new ponte.domain.integration.ChatwootConfig(true, url("chatwoot.example", ""), 1L, "WhatsApp", false,
                        false, false, false), "token-0123456789", "cws_0123456789");
        assertThat(activation.status()).isEqualTo(IntegrationStatus.OK);
        assertThat(received).containsExactly("/api/v1/accounts/1/inboxes token=token-0123456789");
    }
}
