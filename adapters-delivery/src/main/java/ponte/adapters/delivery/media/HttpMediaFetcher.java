package ponte.adapters.delivery.media;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.InetAddress;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.function.Predicate;
import ponte.application.port.out.MediaFetcher;

/**
 * Fetches a URL a user gave through the SSRF guard: before each request (the first and every redirect, at most
 * {@link #MAX_REDIRECTS}) every address the host resolves to is checked against the policy, as the webhook
 * dispatcher does; connecting and each read have their own timeout; the body is streamed to a temporary file and
 * refused as soon as it passes the cap (a {@code Content-Length} over the cap is refused before reading).
 */
public final class HttpMediaFetcher implements MediaFetcher {
    static final int MAX_REDIRECTS = 5;
    private static final int BUFFER = 64 * 1024;

    private final Predicate<InetAddress> refused;
    /** The most a whole fetch may take, redirects included, however the server paces its bytes. */
    public static final Duration TOTAL_TIMEOUT = Duration.ofSeconds(120);
    private final Duration connectTimeout;
    private final Duration totalTimeout;
    private final Duration readTimeout;

    /**
     * @param refused        the policy's test of a resolved address ({@code FetchPolicy::refuses})
     * @param connectTimeout how long connecting may take
     * @param readTimeout    how long the server may stay silent while the headers or the body come in
     */
    public HttpMediaFetcher(Predicate<InetAddress> refused, Duration connectTimeout, Duration readTimeout) {
        this(refused, connectTimeout, readTimeout, TOTAL_TIMEOUT);
    }

    /** As above, with {@code totalTimeout} the most one whole fetch may take (default {@link #TOTAL_TIMEOUT}). */
    public HttpMediaFetcher(Predicate<InetAddress> refused, Duration connectTimeout, Duration readTimeout,
                            Duration totalTimeout) {
        this.refused = refused;
        this.connectTimeout = connectTimeout;
        this.readTimeout = readTimeout;
        this.totalTimeout = totalTimeout;
    }

    @Override
    public Fetched fetch(URI url, long maxBytes) {
        var current = url;
        long deadline = System.nanoTime() + totalTimeout.toNanos();
        for (int hop = 0; hop <= MAX_REDIRECTS; hop++) {
            checkAddresses(current);
            HttpURLConnection connection;
            try {
                connection = (HttpURLConnection) current.toURL().openConnection(java.net.Proxy.NO_PROXY);
            } catch (IOException | IllegalArgumentException e) {
                throw new FetchFailed("could not open " + current + ": " + e.getClass().getSimpleName(), false);
            }
            try {
                connection.setInstanceFollowRedirects(false);
                connection.setConnectTimeout((int) connectTimeout.toMillis());
                connection.setReadTimeout((int) readTimeout.toMillis());
                connection.setRequestProperty("User-Agent", "Ponte-Media/1");
                connection.setRequestProperty("Accept-Encoding", "identity");
                int status = connection.getResponseCode();
                if (status >= 300 && status < 400 && status != 304) {
                    var location = connection.getHeaderField("Location");
                    if (location == null) {
                        throw new FetchFailed("the server answered " + status + " without a Location", false);
                    }
                    current = next(current, location);
                    continue;
                }
                if (status < 200 || status >= 300) {
                    throw new FetchFailed("the server answered HTTP " + status + " for " + current, false);
                }
                long declared = connection.getContentLengthLong();
                if (declared > maxBytes) {
                    throw new FetchFailed("the file is " + declared + " bytes, more than the " + maxBytes
                            + " allowed", true);
                }
                try (var body = connection.getInputStream()) {
                    var file = Files.createTempFile("ponte-fetch-", ".bin");
                    try {
                        long size = copyCapped(body, file, maxBytes, deadline, totalTimeout);
                        var fetched = new Fetched(file, size, Optional.ofNullable(connection.getContentType()),
                                current);
                        file = null;
                        return fetched;
                    } finally {
                        if (file != null) {
                            Files.deleteIfExists(file);
                        }
                    }
                }
            } catch (SocketTimeoutException e) {
                throw new FetchFailed("timed out fetching " + current + " (connect " + connectTimeout.toSeconds()
                        + " s, read " + readTimeout.toSeconds() + " s)", false);
            } catch (IOException e) {
                throw new FetchFailed("could not fetch " + current + " (the connection failed or broke off)", false);
            } finally {
                connection.disconnect();
            }
        }
        throw new FetchFailed("more than " + MAX_REDIRECTS + " redirects from " + url, false);
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

    /** Checked after DNS, before connecting, at every hop: a redirect or a hostname cannot reach a refused address. */
    private void checkAddresses(URI uri) {
        try {
            for (var address : InetAddress.getAllByName(uri.getHost())) {
                if (refused.test(address)) {
                    throw new FetchFailed("refused: " + uri.getHost() + " resolves to " + address.getHostAddress()
                            + ", an address the gateway does not fetch from", false);
                }
            }
        } catch (UnknownHostException e) {
            throw new FetchFailed("the host " + uri.getHost() + " does not resolve", false);
        }
    }

    /**
     * Copies at most {@code maxBytes}, and gives up once {@code deadline} (a {@link System#nanoTime()} value) has
     * passed: a server that drips a byte now and then never trips the read timeout, so the whole fetch has one too.
     */
    private static long copyCapped(InputStream body, Path file, long maxBytes, long deadline, Duration totalTimeout)
            throws IOException {
        long total = 0;
        var buffer = new byte[BUFFER];
        try (OutputStream out = Files.newOutputStream(file)) {
            int n;
            while ((n = body.read(buffer)) >= 0) {
                if (System.nanoTime() - deadline > 0) {
                    throw new FetchFailed("the file took longer than " + totalTimeout.toSeconds()
                            + " s to arrive", false);
                }
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
