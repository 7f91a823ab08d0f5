package ponte.bootstrap;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Requests that share one keep-alive connection, as they do behind a reverse proxy that pools its connections to the
 * gateway: each is judged by its own headers, byte for byte, and answered in its own order. Jetty keeps a per-connection
 * cache of header fields it has seen, matched case-insensitively unless told otherwise, so a token differing from an
 * earlier one on the connection only in the case of a letter was read as that earlier token: one caller's request
 * authenticated as another's (found by {@link IsolationMatrixTest} when a near-miss token happened to differ only in
 * case). Every socket here is a real one.
 */
class KeepAliveConnectionTest {
    @RegisterExtension
    static final GatewayFixture gateway = GatewayFixture.perClass();

    @Test
    void aTokenDifferingOnlyInCaseFromTheConnectionsPreviousOneIsNotThatToken() throws IOException {
        var tenant = gateway.newTenant("keep-alive");
        var variant = caseVariant(tenant.token());
        try (var connection = new Connection(gateway.http().base())) {
            assertThat(connection.get("/v1/me", Map.of("Authorization", "Bearer " + tenant.token())).status)
                    .isEqualTo(200);
            var impostor = connection.get("/v1/me", Map.of("Authorization", "Bearer " + variant));
            assertThat(impostor.status).as(impostor.body).isEqualTo(401);
            assertThat(impostor.body).doesNotContain(tenant.id());
            // and the variant, now seen on the connection, does not stand in for the real token either
            assertThat(connection.get("/v1/me", Map.of("Authorization", "Bearer " + tenant.token())).status)
                    .isEqualTo(200);
        }
    }

    @Test
    void everyHeaderIsReadAsSentNotAsTheCaseFoldedValueOfAnEarlierRequest() throws IOException {
        try (var connection = new Connection(gateway.http().base())) {
            for (var id : List.of("trace-ABC", "trace-abc", "trace-Abc", "trace-ABC")) {
                var answer = connection.get("/health", Map.of("X-Request-Id", id));
                assertThat(answer.headers.get("x-request-id")).isEqualTo(id);
            }
        }
    }

    @Test
    void pipelinedRequestsAreAnsweredInTheirOrderEachWithItsOwnAnswer() throws IOException {
        var tenant = gateway.newTenant("pipelined");
        var other = gateway.newTenant("pipelined-other");
        try (var connection = new Connection(gateway.http().base())) {
            var requests = new StringBuilder();
            var tokens = List.of(tenant.token(), "ptk_unknown", other.token(), caseVariant(other.token()),
                    tenant.token());
            for (int i = 0; i < tokens.size(); i++) {
                requests.append(Connection.request("GET", "/v1/me", Map.of("Authorization", "Bearer " + tokens.get(i),
                        "X-Request-Id", "pipe-" + i)));
            }
            connection.write(requests.toString());
            var answers = new ArrayList<Connection.Answer>();
            for (int i = 0; i < tokens.size(); i++) {
                answers.add(connection.read());
            }
            for (int i = 0; i < answers.size(); i++) {
                assertThat(answers.get(i).headers.get("x-request-id")).isEqualTo("pipe-" + i);
            }
            assertThat(answers).extracting(Connection.Answer::status).containsExactly(200, 401, 200, 401, 200);
            assertThat(answers.get(0).body).contains(tenant.id()).doesNotContain(other.id());
            assertThat(answers.get(2).body).contains(other.id()).doesNotContain(tenant.id());
            assertThat(answers.get(4).body).contains(tenant.id());
        }
    }

    /** The token with the case of its last letter swapped (a token always has letters). */
    private static String caseVariant(String token) {
        var chars = token.toCharArray();
        for (int i = chars.length - 1; i >= 0; i--) {
            if (Character.isLetter(chars[i])) {
                chars[i] = Character.isUpperCase(chars[i]) ? Character.toLowerCase(chars[i])
                        : Character.toUpperCase(chars[i]);
                return new String(chars);
            }
        }
        throw new IllegalArgumentException("a token without a letter");
    }

    /** One HTTP/1.1 connection, written and read by hand so nothing pools, retries or reorders. */
    private static final class Connection implements AutoCloseable {
        record Answer(int status, Map<String, String> headers, String body) {}

        private final Socket socket;
        private final InputStream in;

        Connection(String base) throws IOException {
            var uri = URI.create(base);
            this.socket = new Socket(uri.getHost(), uri.getPort());
            socket.setSoTimeout(10_000);
            this.in = socket.getInputStream();
        }

        static String request(String method, String path, Map<String, String> headers) {
            var text = new StringBuilder(method).append(' ').append(path).append(" HTTP/1.1\r\nHost: localhost\r\n");
            headers.forEach((name, value) -> text.append(name).append(": ").append(value).append("\r\n"));
            return text.append("\r\n").toString();
        }

        Answer get(String path, Map<String, String> headers) throws IOException {
            write(request("GET", path, headers));
            return read();
        }

        void write(String requests) throws IOException {
            socket.getOutputStream().write(requests.getBytes(StandardCharsets.US_ASCII));
            socket.getOutputStream().flush();
        }

        Answer read() throws IOException {
            var statusLine = line();
            int status = Integer.parseInt(statusLine.split(" ")[1]);
            var headers = new LinkedHashMap<String, String>();
            for (var header = line(); !header.isEmpty(); header = line()) {
                int colon = header.indexOf(':');
                headers.put(header.substring(0, colon).trim().toLowerCase(Locale.ROOT), header.substring(colon + 1).trim());
            }
            var body = new ByteArrayOutputStream();
            if ("chunked".equalsIgnoreCase(headers.get("transfer-encoding"))) {
                for (int size = Integer.parseInt(line().trim(), 16); size > 0;
                     size = Integer.parseInt(line().trim(), 16)) {
                    body.write(in.readNBytes(size));
                    line();
                }
                line();
            } else if (headers.containsKey("content-length")) {
                body.write(in.readNBytes(Integer.parseInt(headers.get("content-length"))));
            }
            return new Answer(status, headers, body.toString(StandardCharsets.UTF_8));
        }

        private String line() throws IOException {
            var text = new StringBuilder();
            for (int c = in.read(); c != '\n'; c = in.read()) {
                if (c < 0) {
                    throw new IOException("the connection closed mid-answer after: " + text);
                }
                if (c != '\r') {
                    text.append((char) c);
                }
            }
            return text.toString();
        }

        @Override
        public void close() throws IOException {
            socket.close();
        }
    }
}
