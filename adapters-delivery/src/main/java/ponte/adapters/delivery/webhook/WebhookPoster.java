package ponte.adapters.delivery.webhook;

import java.io.IOException;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Clock;
import java.time.Duration;
import java.util.function.Predicate;
import ponte.application.port.in.DispatchWebhooksUseCase.AttemptResult;
import ponte.application.port.in.DispatchWebhooksUseCase.DueWebhook;

/** One signed POST of one delivery; never throws: every failure becomes the attempt's error. */
public final class WebhookPoster {
    private final HttpClient client;
    private final Duration timeout;
    private final Predicate<InetAddress> refused;
    private final Clock clock;
    private final java.util.function.UnaryOperator<String> embedMedia;

    /** {@code embedMedia}: what a payload becomes for a webhook with {@code media_base64} ({@link MediaEmbedder}). */
    public WebhookPoster(Duration timeout, Predicate<InetAddress> refused, Clock clock,
                         java.util.function.UnaryOperator<String> embedMedia) {
        this.embedMedia = embedMedia;
        this.client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(timeout)
                .followRedirects(HttpClient.Redirect.NEVER).build();
        this.timeout = timeout;
        this.refused = refused;
        this.clock = clock;
    }

    public AttemptResult post(DueWebhook delivery) {
        long started = System.nanoTime();
        try {
            var uri = URI.create(delivery.url());
            var blocked = refusedAddress(uri.getHost());
            if (blocked != null) {
                return new AttemptResult(null, "refused: " + uri.getHost() + " resolves to " + blocked
                        + ", a link-local or cloud-metadata address", elapsed(started));
            }
            var payload = delivery.mediaBase64() ? embedMedia.apply(delivery.payload()) : delivery.payload();
            var request = HttpRequest.newBuilder(uri).timeout(timeout)
                    .header("Content-Type", "application/json")
                    .header("User-Agent", "Ponte-Webhooks/1")
                    .header("X-Ponte-Event", delivery.event().wireName())
                    .header("X-Ponte-Event-Id", delivery.eventId().toString())
                    .header("X-Ponte-Delivery-Id", delivery.deliveryId().toString())
                    .header("X-Ponte-Signature",
                            Signature.header(delivery.secret(), clock.instant().getEpochSecond(), payload))
                    .POST(HttpRequest.BodyPublishers.ofString(payload));
            if (delivery.authorization() != null) {
                request.header("Authorization", delivery.authorization());
            }
            delivery.headers().forEach(request::header);
            var response = client.send(request.build(), HttpResponse.BodyHandlers.discarding());
            return new AttemptResult(response.statusCode(), null, elapsed(started));
        } catch (HttpTimeoutException e) {
            return new AttemptResult(null, "timed out after " + timeout.toSeconds() + " s", elapsed(started));
        } catch (IOException | IllegalArgumentException e) {
            return new AttemptResult(null, describe(e), elapsed(started));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new AttemptResult(null, "interrupted: the gateway is stopping", elapsed(started));
        }
    }

    /** Checked after DNS, before connecting: a hostname cannot be re-pointed at the metadata service. */
    private String refusedAddress(String host) throws UnknownHostException {
        for (var address : InetAddress.getAllByName(host)) {
            if (refused.test(address)) {
                return address.getHostAddress();
            }
        }
        return null;
    }

    private static String describe(Exception e) {
        var name = e.getClass().getSimpleName();
        return e.getMessage() == null ? name : name + ": " + e.getMessage();
    }

    private static long elapsed(long started) {
        return (System.nanoTime() - started) / 1_000_000;
    }
}
