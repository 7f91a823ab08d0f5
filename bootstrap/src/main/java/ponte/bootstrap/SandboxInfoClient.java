package ponte.bootstrap;

import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Base64;
import java.util.regex.Pattern;

/**
 * Reads a standalone sandbox's {@code GET /v1/sandbox/info} ({@code ws_url} and {@code root_public_key}) at start,
 * waiting up to {@link #PATIENCE} for it to answer (a fleet and its sandbox often start together). A sandbox that
 * never answers, or refuses the token, is a {@link StartupFailure}.
 */
final class SandboxInfoClient {
    private static final Duration PATIENCE = Duration.ofSeconds(60);
    private static final Pattern WS_URL = Pattern.compile("\"ws_url\"\\s*:\\s*\"([^\"]+)\"");
    private static final Pattern ROOT = Pattern.compile("\"root_public_key\"\\s*:\\s*\"([^\"]+)\"");

    private SandboxInfoClient() {}

    static Config.RemoteSandbox resolve(Config.SandboxApi api) {
        var client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        var request = HttpRequest.newBuilder(api.base().resolve("/v1/sandbox/info"))
                .header("Authorization", "Bearer " + api.token()).timeout(Duration.ofSeconds(10)).GET().build();
        long deadline = System.nanoTime() + PATIENCE.toNanos();
        String problem = "no answer";
        while (System.nanoTime() < deadline) {
            try {
                var response = client.send(request, HttpResponse.BodyHandlers.ofString());
                if (response.statusCode() == 200) {
                    var ws = WS_URL.matcher(response.body());
                    var root = ROOT.matcher(response.body());
                    if (ws.find() && root.find()) {
                        return new Config.RemoteSandbox(ws.group(1), Base64.getDecoder().decode(root.group(1)));
                    }
                    problem = "its answer has no ws_url and root_public_key";
                } else if (response.statusCode() == 401 || response.statusCode() == 403) {
                    throw new StartupFailure("the sandbox at " + api.base() + " refused the token (HTTP "
                            + response.statusCode() + "): set PONTE_SANDBOX_TOKEN to its admin token");
                } else {
                    problem = "HTTP " + response.statusCode();
                }
            } catch (IOException e) {
                problem = e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
            try {
                Thread.sleep(500);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        throw new StartupFailure("the sandbox at " + api.base() + " did not answer GET /v1/sandbox/info within "
                + PATIENCE.toSeconds() + " s (" + problem + "); start it with ./ponte sandbox, or fix PONTE_SANDBOX_URL");
    }
}
