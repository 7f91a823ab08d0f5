package ponte.adapters.delivery.media;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.net.http.HttpTimeoutException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import ponte.adapters.delivery.egress.Egress;
import ponte.application.port.out.MediaFetcher;

/**
 * Fetches a URL a user gave through the egress policy ({@link Egress}): every hop (the first request and each
 * redirect, at most {@link #MAX_REDIRECTS}) is resolved, checked and connected to the checked address by the egress
 * client; the whole fetch, redirects included, has one deadline and each read an idle timeout; the body is streamed
 * to a temporary file and refused as soon as it passes the cap (a {@code Content-Length} over the cap is refused
 * before reading).
 */
public final class HttpMediaFetcher implements MediaFetcher {
    static final int MAX_REDIRECTS = 5;
    private static final int BUFFER = 64 * 1024;
    /** The most a whole fetch may take, redirects included, however the server paces its bytes. */
    public static final Duration TOTAL_TIMEOUT = Duration.ofSeconds(120);
    private static final Map<String, List<String>> HEADERS = Map.of("User-Agent", List.of("Ponte-Media/1"),
            "Accept-Encoding", List.of("identity"));

    private final Egress egress;
    private final Duration totalTimeout;
    private final Duration readTimeout;

    /**
     * @param egress      the outbound client (its policy decides where fetches may go; its connect timeout applies)
     * @param readTimeout how long the server may stay silent while the headers or the body come in
     */
    public HttpMediaFetcher(Egress egress, Duration readTimeout) {
        this(egress, readTimeout, TOTAL_TIMEOUT);
    }

    /** As above, with {@code totalTimeout} the most one whole fetch may take (default {@link #TOTAL_TIMEOUT}). */
    public HttpMediaFetcher(Egress egress, Duration readTimeout, Duration totalTimeout) {
        this.egress = egress;
        this.readTimeout = readTimeout;
        this.totalTimeout = totalTimeout;
    }

    @Override
    public Fetched fetch(URI url, long maxBytes) {
        var current = url;
        long deadline = System.nanoTime() + totalTimeout.toNanos();
        for (int hop = 0; hop <= MAX_REDIRECTS; hop++) {
            var left = Duration.ofNanos(deadline - System.nanoTime());
            if (left.isNegative() || left.isZero()) {
                throw tookTooLong();
            }
            try (var answer = egress.open("GET", current, HEADERS, null, left, readTimeout)) {
                int status = answer.status();
                if (status >= 300 && status < 400 && status != 304) {
                    var location = answer.header("Location").orElseThrow(() -> new FetchFailed(
                            "the server answered " + status + " without a Location", false));
                    current = next(current, location);
                    continue;
                }
                if (status < 200 || status >= 300) {
                    throw new FetchFailed("the server answered HTTP " + status + " for " + current, false);
                }
                long declared = answer.contentLength();
                if (declared > maxBytes) {
                    throw new FetchFailed("the file is " + declared + " bytes, more than the " + maxBytes
                            + " allowed", true);
                }
                var file = Files.createTempFile("ponte-fetch-", ".bin");
                try {
                    long size = copyCapped(answer.body(), file, maxBytes);
                    var fetched = new Fetched(file, size, answer.header("Content-Type"), current);
                    file = null;
                    return fetched;
                } finally {
                    if (file != null) {
                        Files.deleteIfExists(file);
                    }
                }
            } catch (Egress.Refused e) {
                throw new FetchFailed(e.getMessage(), false);
            } catch (UnknownHostException e) {
                throw new FetchFailed("the host " + current.getHost() + " does not resolve", false);
            } catch (HttpTimeoutException e) {
                throw tookTooLong();
            } catch (java.net.SocketTimeoutException e) {
                throw new FetchFailed("timed out fetching " + current + " (read " + readTimeout.toSeconds()
                        + " s)", false);
            } catch (IOException e) {
                throw new FetchFailed("could not fetch " + current + " (the connection failed or broke off)", false);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new FetchFailed("interrupted: the gateway is stopping", false);
            }
        }
        throw new FetchFailed("more than " + MAX_REDIRECTS + " redirects from " + url, false);
    }

    private FetchFailed tookTooLong() {
        return new FetchFailed("the file took longer than " + totalTimeout.toSeconds() + " s to arrive", false);
    }

    private static URI next(URI current, String location) {
        try {
            var next = current.resolve(new URI(location.strip()));
            var scheme = next.getScheme() == null ? "" : next.getScheme().toLowerCase(java.util.Locale.ROOT);
            if (!scheme.equals("http") && !scheme.equals("https") || next.getHost() == null) {
                throw new FetchFailed("redirected to " + location + ", which is not an http(s) URL", false);
            }
            return next;
        } catch (URISyntaxException e) {
            throw new FetchFailed("redirected to a malformed URL", false);
        }
    }

    /** Copies at most {@code maxBytes}; the egress client ends the exchange at its deadline. */
    private static long copyCapped(InputStream body, Path file, long maxBytes) throws IOException {
        long total = 0;
        var buffer = new byte[BUFFER];
        try (OutputStream out = Files.newOutputStream(file)) {
            int n;
            while ((n = body.read(buffer)) >= 0) {
                total += n;
                if (total > maxBytes) {
                    throw new FetchFailed("the file is more than the " + maxBytes + " bytes allowed", true);
                }
                out.write(buffer, 0, n);
            }
        }
        return total;
    }
}
