package ponte.adapters.delivery.egress;

import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSession;
import org.eclipse.jetty.client.BytesRequestContent;
import org.eclipse.jetty.client.InputStreamResponseListener;
import org.eclipse.jetty.client.Response;
import org.eclipse.jetty.http.HttpCookieStore;
import org.eclipse.jetty.util.Promise;
import org.eclipse.jetty.util.SocketAddressResolver;
import org.eclipse.jetty.util.ssl.SslContextFactory;
import org.eclipse.jetty.util.thread.ScheduledExecutorScheduler;
import org.eclipse.jetty.util.thread.VirtualThreadPool;
import ponte.domain.egress.EgressPolicy;

/**
 * The one way out for requests the gateway makes on a user's behalf (webhooks, media {@code url}s, link previews,
 * Chatwoot): an HTTP/1.1 client that obeys an {@link EgressPolicy} and closes DNS rebinding.
 *
 * <p>How: a host is resolved once per connection by this class's own resolver, every address it answers is checked
 * against the policy (one refused address refuses the request), and the connection is opened to exactly those
 * checked addresses. The URL keeps its host name, so the {@code Host} header, TLS SNI and the certificate's host-name
 * check are all for the name the user gave. This needs a client that takes a resolver per client, which the JDK's
 * {@code java.net.http.HttpClient} does not (its only hook is the JVM-wide {@code InetAddressResolverProvider}); Jetty's
 * client, already the project's HTTP stack on the server side, does ({@code SocketAddressResolver}).
 *
 * <p>Caps: connecting within the connect timeout; each exchange has a whole-request deadline (connect, headers and
 * body together, however slowly the server drips its bytes) and an idle timeout between reads; {@link #send} reads at
 * most {@code maxAnswerBytes}; {@link #open} leaves the body's cap to the caller, who streams it. No redirect is
 * followed here: a caller that follows one calls {@link #open} again for the new URL, so every hop is checked. No
 * cookies are kept, no compression is asked for, no proxy is used.
 */
public final class Egress implements AutoCloseable {
    /** Names a host's addresses: the system's DNS in production, a stand-in in tests. */
    @FunctionalInterface
    public interface Resolver {
        /** Every address of {@code host}; {@link UnknownHostException} when it has none. */
        List<InetAddress> resolve(String host) throws UnknownHostException;
    }

    /** The system resolver ({@link InetAddress#getAllByName}). */
    public static final Resolver SYSTEM_DNS = host -> List.of(InetAddress.getAllByName(host));

    /** Header names the client sets itself (as in {@code java.net.http}); a caller setting one is refused. */
    private static final Set<String> RESTRICTED = Set.of("connection", "content-length", "expect", "host", "upgrade",
            "transfer-encoding", "te", "trailer", "keep-alive", "proxy-connection");

    /** The policy refused a target: the message says which host, which address and why, and the setting. */
    public static final class Refused extends IOException {
        public Refused(String message) {
            super(message);
        }
    }

    private final EgressPolicy policy;
    private final Resolver resolver;
    private final long maxAnswerBytes;
    private final org.eclipse.jetty.client.HttpClient client;

    /** With the system's DNS and the JVM's trusted certificates. */
    public Egress(String name, EgressPolicy policy, Duration connectTimeout, long maxAnswerBytes) {
        this(name, policy, SYSTEM_DNS, connectTimeout, maxAnswerBytes, null);
    }

    /**
     * @param name           names the client's threads ({@code ponte-egress-<name>})
     * @param policy         where requests may go
     * @param resolver       how host names are resolved (each resolution is checked, then used to connect)
     * @param connectTimeout how long connecting may take
     * @param maxAnswerBytes the most bytes of an answer {@link #send} reads
     * @param sslContext     whose trust store verifies servers' certificates; null for the JVM's default
     */
    public Egress(String name, EgressPolicy policy, Resolver resolver, Duration connectTimeout, long maxAnswerBytes,
                  SSLContext sslContext) {
        this.policy = policy;
        this.resolver = resolver;
        this.maxAnswerBytes = maxAnswerBytes;
        var tls = new SslContextFactory.Client();
        tls.setEndpointIdentificationAlgorithm("HTTPS");
        if (sslContext != null) {
            tls.setSslContext(sslContext);
        }
        client = new org.eclipse.jetty.client.HttpClient();
        client.setSslContextFactory(tls);
        var threads = new VirtualThreadPool();
        threads.setName("ponte-egress-" + name);
        client.setExecutor(threads);
        client.setScheduler(new ScheduledExecutorScheduler("ponte-egress-" + name + "-timer", true));
        client.setSocketAddressResolver(new CheckedResolver(threads));
        client.setConnectTimeout(connectTimeout.toMillis());
        client.setFollowRedirects(false);
        client.setHttpCookieStore(new HttpCookieStore.Empty());
        client.setUserAgentField(null);
        client.getContentDecoderFactories().clear();
        try {
            client.start();
        } catch (Exception e) {
            throw new IllegalStateException("the outbound HTTP client did not start", e);
        }
        // answers come back as they are: no redirect, authentication (a 401 without a challenge failed the whole
        // exchange), 100-continue or upgrade handling behind the caller's back (start() installs these handlers)
        client.getProtocolHandlers().clear();
    }

    /** The policy this client obeys. */
    public EgressPolicy policy() {
        return policy;
    }

    /**
     * Sends {@code request} and reads its answer whole (at most {@code maxAnswerBytes}), following no redirect: the
     * same shape as {@code java.net.http.HttpClient#send}, so a caller written for that client moves here unchanged.
     * The request's timeout (or the connect timeout if it has none) is the whole exchange's deadline.
     *
     * @throws Refused              the policy refused the host or one of its addresses
     * @throws HttpTimeoutException the deadline passed
     * @throws IOException          connecting or the exchange failed, or the answer was over the cap
     */
    public <T> HttpResponse<T> send(HttpRequest request, HttpResponse.BodyHandler<T> handler)
            throws IOException, InterruptedException {
        var deadline = request.timeout().orElse(Duration.ofMillis(client.getConnectTimeout()));
        var body = request.bodyPublisher().isPresent() ? collect(request.bodyPublisher().get(), deadline) : null;
        try (var answer = open(request.method(), request.uri(), request.headers().map(), body, deadline, deadline)) {
            var bytes = answer.body().readNBytes((int) Math.min(Integer.MAX_VALUE - 8, maxAnswerBytes + 1));
            if (bytes.length > maxAnswerBytes) {
                throw new IOException("the answer from " + request.uri().getHost() + " is larger than "
                        + maxAnswerBytes + " bytes");
            }
            var headers = HttpHeaders.of(answer.headers(), (name, value) -> true);
            var info = new Info(answer.status(), headers);
            var subscriber = handler.apply(info);
            subscriber.onSubscribe(new OneShot(subscriber, bytes));
            T value;
            try {
                value = subscriber.getBody().toCompletableFuture().get(deadline.toMillis(), TimeUnit.MILLISECONDS);
            } catch (ExecutionException | TimeoutException e) {
                throw new IOException("the answer from " + request.uri().getHost() + " could not be read", e);
            }
            return new Answered<>(answer.status(), request, headers, value);
        }
    }

    /**
     * Opens one exchange, following no redirect: the status and headers have arrived when this returns, the body
     * streams from {@link Opened#body()} (closing it early aborts the exchange).
     *
     * @param method   the HTTP method
     * @param uri      an http(s) URL; its host is resolved and checked here
     * @param headers  request headers (none of {@code Host}, {@code Connection}, {@code Content-Length}, ...)
     * @param body     the request body, or null for none
     * @param deadline the whole exchange's deadline, body included
     * @param idle     the longest silence while the answer comes in
     * @throws Refused              the policy refused the host or one of its addresses
     * @throws HttpTimeoutException the deadline passed before the headers came
     * @throws IOException          connecting or the exchange failed
     */
    public Opened open(String method, URI uri, Map<String, List<String>> headers, byte[] body, Duration deadline,
                       Duration idle) throws IOException, InterruptedException {
        var scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https") || uri.getHost() == null) {
            throw new IOException(uri + " is not an http(s) URL with a host");
        }
        var request = client.newRequest(uri).method(method).timeout(deadline.toMillis(), TimeUnit.MILLISECONDS)
                .idleTimeout(idle.toMillis(), TimeUnit.MILLISECONDS);
        request.headers(fields -> headers.forEach((name, values) -> {
            if (RESTRICTED.contains(name.toLowerCase(Locale.ROOT))) {
                throw new IllegalArgumentException("restricted header name: \"" + name + "\"");
            }
            values.forEach(value -> fields.add(name, value));
        }));
        if (body != null) {
            request.body(new BytesRequestContent(body));
        }
        var listener = new InputStreamResponseListener();
        request.send(listener);
        Response response;
        try {
            response = listener.get(deadline.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            request.abort(e);
            throw timedOut(uri, deadline);
        } catch (ExecutionException e) {
            throw translate(e.getCause(), uri, deadline);
        }
        var answerHeaders = new LinkedHashMap<String, List<String>>();
        for (var field : response.getHeaders()) {
            answerHeaders.computeIfAbsent(field.getName().toLowerCase(Locale.ROOT), name -> new ArrayList<>())
                    .add(field.getValue());
        }
        return new Opened(response.getStatus(), answerHeaders,
                new Translating(listener.getInputStream(), uri, deadline));
    }

    /**
     * An opened exchange.
     *
     * @param status  the HTTP status
     * @param headers the answer's headers, names in lower case
     * @param body    the answer's body; a read past the deadline throws {@link HttpTimeoutException}
     */
    public record Opened(int status, Map<String, List<String>> headers, InputStream body) implements Closeable {
        /** The first value of the header {@code name} (any case). */
        public Optional<String> header(String name) {
            var values = headers.get(name.toLowerCase(Locale.ROOT));
            return values == null || values.isEmpty() ? Optional.empty() : Optional.of(values.getFirst());
        }

        /** The declared {@code Content-Length}, or -1. */
        public long contentLength() {
            try {
                return header("content-length").map(Long::parseLong).orElse(-1L);
            } catch (NumberFormatException e) {
                return -1;
            }
        }

        @Override
        public void close() throws IOException {
            body.close();
        }
    }

    @Override
    public void close() {
        try {
            client.stop();
        } catch (Exception e) {
            // stopping only closes connections; nothing is left to undo
        }
    }

    /** Resolves once, checks every address, hands Jetty exactly the addresses it checked. */
    private final class CheckedResolver implements SocketAddressResolver {
        private final Executor executor;

        CheckedResolver(Executor executor) {
            this.executor = executor;
        }

        @Override
        public void resolve(String host, int port, Map<String, Object> context,
                            Promise<List<InetSocketAddress>> promise) {
            executor.execute(() -> {
                try {
                    promise.succeeded(checked(host, port));
                } catch (Throwable failure) {
                    promise.failed(failure);
                }
            });
        }

        private List<InetSocketAddress> checked(String rawHost, int port) throws IOException {
            var host = rawHost.startsWith("[") && rawHost.endsWith("]")
                    ? rawHost.substring(1, rawHost.length() - 1) : rawHost;
            var asWritten = policy.hostRefusal(host);
            if (asWritten.isPresent()) {
                throw new Refused("refused: " + host + " is " + asWritten.get());
            }
            var addresses = resolver.resolve(host);
            if (addresses.isEmpty()) {
                throw new UnknownHostException(host);
            }
            var checked = new ArrayList<InetSocketAddress>(addresses.size());
            for (var address : addresses) {
                var refusal = policy.refusal(address);
                if (refusal.isPresent()) {
                    throw new Refused("refused: " + host + " resolves to " + address.getHostAddress() + ", "
                            + refusal.get());
                }
                // the address carries the name: Jetty takes TLS's peer host (SNI, certificate check) from it
                checked.add(new InetSocketAddress(InetAddress.getByAddress(host, address.getAddress()), port));
            }
            return checked;
        }
    }

    private static IOException translate(Throwable failure, URI uri, Duration deadline) {
        for (var cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof Refused refused) {
                return new Refused(refused.getMessage());
            }
            if (cause instanceof UnknownHostException) {
                return new UnknownHostException("the host " + uri.getHost() + " does not resolve");
            }
            if (cause instanceof TimeoutException && cause.getMessage() != null
                    && cause.getMessage().startsWith("Idle timeout")) {
                return new java.net.SocketTimeoutException(uri.getHost() + " went silent: " + cause.getMessage());
            }
            if (cause instanceof TimeoutException || cause instanceof java.net.SocketTimeoutException) {
                return timedOut(uri, deadline);
            }
        }
        return failure instanceof IOException io ? io : new IOException(failure);
    }

    private static HttpTimeoutException timedOut(URI uri, Duration deadline) {
        return new HttpTimeoutException("no complete answer from " + uri.getHost() + " within "
                + deadline.toMillis() + " ms");
    }

    /** The body stream, with a failure past the deadline reported as the timeout it is. */
    private static final class Translating extends FilterInputStream {
        private final URI uri;
        private final Duration deadline;

        Translating(InputStream in, URI uri, Duration deadline) {
            super(in);
            this.uri = uri;
            this.deadline = deadline;
        }

        @Override
        public int read() throws IOException {
            try {
                return super.read();
            } catch (IOException | RuntimeException e) {
                throw translate(e, uri, deadline);
            }
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            try {
                return super.read(b, off, len);
            } catch (IOException | RuntimeException e) {
                throw translate(e, uri, deadline);
            }
        }
    }

    private static byte[] collect(Flow.Publisher<ByteBuffer> publisher, Duration deadline) throws IOException {
        var done = new CompletableFuture<byte[]>();
        publisher.subscribe(new Flow.Subscriber<>() {
            private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();

            @Override
            public void onSubscribe(Flow.Subscription subscription) {
                subscription.request(Long.MAX_VALUE);
            }

            @Override
            public void onNext(ByteBuffer item) {
                var chunk = new byte[item.remaining()];
                item.get(chunk);
                bytes.writeBytes(chunk);
            }

            @Override
            public void onError(Throwable throwable) {
                done.completeExceptionally(throwable);
            }

            @Override
            public void onComplete() {
                done.complete(bytes.toByteArray());
            }
        });
        try {
            return done.get(deadline.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while reading the request body", e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IOException("the request body could not be read", e);
        }
    }

    /** Hands the whole answer to a {@code BodySubscriber} once it asks for it. */
    private static final class OneShot implements Flow.Subscription {
        private final Flow.Subscriber<? super List<ByteBuffer>> subscriber;
        private byte[] bytes;

        OneShot(Flow.Subscriber<? super List<ByteBuffer>> subscriber, byte[] bytes) {
            this.subscriber = subscriber;
            this.bytes = bytes;
        }

        @Override
        public synchronized void request(long n) {
            if (bytes == null || n <= 0) {
                return;
            }
            var body = bytes;
            bytes = null;
            if (body.length > 0) {
                subscriber.onNext(List.of(ByteBuffer.wrap(body)));
            }
            subscriber.onComplete();
        }

        @Override
        public synchronized void cancel() {
            bytes = null;
        }
    }

    private record Info(int statusCode, HttpHeaders headers) implements HttpResponse.ResponseInfo {
        @Override
        public HttpClient.Version version() {
            return HttpClient.Version.HTTP_1_1;
        }
    }

    private record Answered<T>(int statusCode, HttpRequest request, HttpHeaders headers, T body)
            implements HttpResponse<T> {
        @Override
        public Optional<HttpResponse<T>> previousResponse() {
            return Optional.empty();
        }

        @Override
        public Optional<SSLSession> sslSession() {
            return Optional.empty();
        }

        @Override
        public URI uri() {
            return request.uri();
        }

        @Override
        public HttpClient.Version version() {
            return HttpClient.Version.HTTP_1_1;
        }
    }
}
