package ponte.adapters.delivery.webhook;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Clock;
import java.time.Duration;
import ponte.application.port.in.DispatchWebhooksUseCase.AttemptResult;
import ponte.application.port.in.DispatchWebhooksUseCase.DueWebhook;
import ponte.adapters.delivery.egress.Egress;

/**
 * One signed POST of one delivery through the egress policy ({@link Egress}: the address checked is the address
 * connected to; no redirect is followed); never throws: every failure becomes the attempt's error.
 */
public final class WebhookPoster {
    private final Egress egress;
    private final Duration timeout;
    private final Clock clock;
    private final java.util.function.UnaryOperator<String> embedMedia;

    /**
     * @param egress     the outbound client (its policy decides where webhooks may go)
     * @param timeout    the whole POST's deadline, connecting included
     * @param embedMedia what a payload becomes for a webhook with {@code media_base64} ({@link MediaEmbedder})
     */
    public WebhookPoster(Egress egress, Duration timeout, Clock clock,
                         java.util.function.UnaryOperator<String> embedMedia) {
        this.egress = egress;
        this.embedMedia = embedMedia;
        this.timeout = timeout;
        this.clock = clock;
    }

    public AttemptResult post(DueWebhook delivery) {
        long started = System.nanoTime();
        try {
            var uri = URI.create(delivery.url());
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
            var response = egress.send(request.build(), HttpResponse.BodyHandlers.discarding());
            return new AttemptResult(response.statusCode(), null, elapsed(started));
        } catch (Egress.Refused e) {
            return new AttemptResult(null, e.getMessage(), elapsed(started));
        } catch (HttpTimeoutException e) {
            return new AttemptResult(null, "timed out after " + timeout.toSeconds() + " s", elapsed(started));
        } catch (IOException | IllegalArgumentException e) {
            return new AttemptResult(null, describe(e), elapsed(started));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new AttemptResult(null, "interrupted: the gateway is stopping", elapsed(started));
        }
    }

    private static String describe(Exception e) {
        var name = e.getClass().getSimpleName();
        return e.getMessage() == null ? name : name + ": " + e.getMessage();
    }

    private static long elapsed(long started) {
        return (System.nanoTime() - started) / 1_000_000;
    }
}
