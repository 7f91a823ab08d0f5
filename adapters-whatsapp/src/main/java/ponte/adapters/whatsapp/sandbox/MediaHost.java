package ponte.adapters.whatsapp.sandbox;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import ponte.adapters.whatsapp.binary.Node;
import ponte.adapters.whatsapp.crypto.KeyPair;
import ponte.adapters.whatsapp.media.MediaType;
import ponte.adapters.whatsapp.sandbox.store.SandboxMediaStore;

/**
 * The sandbox's media host (protocol.md §1.16): HTTPS on loopback with a certificate its certificate root signed
 * ({@link MediaHostCertificate}). It takes uploads at {@code POST /mms/<kind>/<token>?auth=&token=} from holders of
 * a {@code media_conn} auth it issued (the token must be the body's base64url SHA-256, as WhatsApp's is), keeps
 * them in its folder (indexed in a {@link SandboxMediaStore}, so that a folder and index that outlive the host serve
 * the same files after a restart), serves them at their direct path {@code /v/t62.<kind>/<id>}, and can expire a
 * file on demand (then 410 Gone, restart or not) so that clients' media-retry path can be tested. It reads and
 * writes in chunks: a file's size costs disk, not memory.
 */
public final class MediaHost implements AutoCloseable {

    /** How long a {@code media_conn} stays valid, in seconds (the ttl the answer names). */
    public static final long CONN_TTL_SECONDS = 300;
    private static final System.Logger LOG = System.getLogger(MediaHost.class.getName());
    private static final Duration AUTH_LIFETIME = Duration.ofSeconds(CONN_TTL_SECONDS * 2);

    private final HttpsServer server;
    private final ExecutorService executor;
    private final MediaHostCertificate certificate;
    private final Path folder;
    private final Clock clock;
    private final SecureRandom random;
    private final Map<String, Auth> auths = new ConcurrentHashMap<>();
    private final SandboxMediaStore files;

    private record Auth(String uploader, Instant expires) {
    }

    private MediaHost(HttpsServer server, ExecutorService executor, MediaHostCertificate certificate, Path folder,
            SandboxMediaStore files, Clock clock, SecureRandom random) {
        this.files = files;
        this.server = server;
        this.executor = executor;
        this.certificate = certificate;
        this.folder = folder;
        this.clock = clock;
        this.random = random;
    }

    /** Listens on {@code host} (a free port), storing files in {@code folder}, indexed in memory. */
    public static MediaHost start(String host, Path folder, KeyPair root, Clock clock, SecureRandom random)
            throws IOException {
        return start(host, folder, SandboxMediaStore.inMemory(), root, clock, random);
    }

    /**
     * Listens on {@code host} (a free port), storing files in {@code folder} and indexing them in {@code files}: a
     * host started again over the same folder and index serves what was uploaded before, at the same direct paths
     * (its port, and so the hostname a {@code media_conn} names, may change).
     */
    public static MediaHost start(String host, Path folder, SandboxMediaStore files, KeyPair root, Clock clock,
            SecureRandom random) throws IOException {
        Files.createDirectories(folder);
        MediaHostCertificate certificate = MediaHostCertificate.issue(root, host, clock.instant(), random);
        HttpsServer server = HttpsServer.create(new InetSocketAddress(host, 0), 64);
        server.setHttpsConfigurator(new HttpsConfigurator(certificate.serverContext()));
        ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
        server.setExecutor(executor);
        MediaHost host1 = new MediaHost(server, executor, certificate, folder, files, clock, random);
        server.createContext("/mms/", host1::upload);
        server.createContext("/v/", host1::download);
        server.start();
        return host1;
    }

    /** {@code host:port}, the hostname a {@code media_conn} names. */
    public String hostname() {
        InetSocketAddress address = server.getAddress();
        return address.getHostString() + ":" + address.getPort();
    }

    public MediaHostCertificate certificate() {
        return certificate;
    }

    /** The answer to {@code <iq xmlns="w:m" type="set"><media_conn/></iq>} for {@code uploader}. */
    public Node mediaConn(String id, String uploader) {
        String auth = token(24);
        auths.put(auth, new Auth(uploader, clock.instant().plus(AUTH_LIFETIME)));
        return Stanzas.result(id, List.of(Node.withChildren("media_conn",
                Node.attrs("auth", auth, "ttl", Long.toString(CONN_TTL_SECONDS), "auth_ttl",
                        Long.toString(AUTH_LIFETIME.toSeconds()), "max_buckets", "12"),
                List.of(Node.of("host", Node.attrs("hostname", hostname()))))));
    }

    /**
     * Stores a body uploaded in-process by a sandbox phone (its history blob, say), read to the end.
     *
     * @return the direct path it is served at
     */
    public String store(String uploader, MediaType type, InputStream body) throws IOException {
        String kind = type.uploadPath().substring("/mms/".length());
        String directPath = "/v/t62." + kind + "/" + token(18);
        String name = fileName(directPath);
        Files.copy(body, folder.resolve(name), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        files.save(new SandboxMediaStore.MediaFile(directPath, name, uploader, kind, false));
        return directPath;
    }

    /** Opens a stored body for an in-process reader (a sandbox phone downloading what a peer sent it). */
    public Optional<InputStream> open(String directPath) throws IOException {
        var stored = files.find(stripQuery(directPath));
        if (stored.isEmpty() || stored.get().expired()) {
            return Optional.empty();
        }
        return Optional.of(Files.newInputStream(folder.resolve(stored.get().file())));
    }

    /** How many files of {@code type}'s kind the host holds (expired ones included). */
    public long stored(MediaType type) {
        String kind = type.uploadPath().substring("/mms/".length());
        return files.count(kind);
    }

    /** Expires one file: downloads get 410 from now on and its bytes are deleted. False when unknown. */
    public boolean expire(String directPath) {
        var stored = files.find(stripQuery(directPath));
        if (stored.isEmpty() || !files.expire(stored.get().directPath())) {
            return false;
        }
        try {
            Files.deleteIfExists(folder.resolve(stored.get().file()));
        } catch (IOException e) {
            LOG.log(System.Logger.Level.WARNING, "an expired media file could not be deleted", e);
        }
        return true;
    }

    /** Expires every file {@code uploader} uploaded (a user JID without device); returns how many. */
    public int expireUploadsOf(String uploader) {
        int count = 0;
        for (String directPath : files.liveUploadsOf(uploader)) {
            if (expire(directPath)) {
                count++;
            }
        }
        return count;
    }

    private void upload(HttpExchange exchange) throws IOException {
        try (exchange) {
            if (!exchange.getRequestMethod().equals("POST")) {
                reply(exchange, 405, "{\"error\":\"method\"}");
                return;
            }
            URI uri = exchange.getRequestURI();
            String[] segments = uri.getPath().split("/");
            Map<String, String> query = query(uri.getRawQuery());
            Auth auth = query.get("auth") == null ? null : auths.get(query.get("auth"));
            if (auth == null || auth.expires().isBefore(clock.instant())) {
                drain(exchange.getRequestBody());
                reply(exchange, 401, "{\"error\":\"auth\"}");
                return;
            }
            if (segments.length != 4 || MediaType.byUploadKind(segments[2]).isEmpty()) {
                drain(exchange.getRequestBody());
                reply(exchange, 404, "{\"error\":\"path\"}");
                return;
            }
            String kind = segments[2];
            String token = segments[3];
            String directPath = "/v/t62." + kind + "/" + token(18);
            Path file = folder.resolve(fileName(directPath));
            MessageDigest digest = sha();
            try (InputStream in = exchange.getRequestBody(); OutputStream out = Files.newOutputStream(file)) {
                byte[] buffer = new byte[64 * 1024];
                for (int read; (read = in.read(buffer)) != -1; ) {
                    digest.update(buffer, 0, read);
                    out.write(buffer, 0, read);
                }
            }
            String actual = Base64.getUrlEncoder().withoutPadding().encodeToString(digest.digest());
            if (!actual.equals(token) || !actual.equals(query.get("token"))) {
                Files.deleteIfExists(file);
                reply(exchange, 400, "{\"error\":\"the token is not the body's SHA-256\"}");
                return;
            }
            files.save(new SandboxMediaStore.MediaFile(directPath, file.getFileName().toString(), auth.uploader(),
                    kind, false));
            String url = "https://" + hostname() + directPath + "?ccb=11-4&oh=" + token(8) + "&mms3=true";
            reply(exchange, 200, "{\"url\":\"" + url + "\",\"direct_path\":\"" + directPath
                    + "\",\"handle\":\"" + token(12) + "\"}");
        }
    }

    private void download(HttpExchange exchange) throws IOException {
        try (exchange) {
            if (!exchange.getRequestMethod().equals("GET")) {
                reply(exchange, 405, "");
                return;
            }
            var stored = files.find(exchange.getRequestURI().getPath());
            if (stored.isEmpty()) {
                reply(exchange, 404, "");
                return;
            }
            if (stored.get().expired()) {
                reply(exchange, 410, "");
                return;
            }
            Path file = folder.resolve(stored.get().file());
            if (!Files.isRegularFile(file)) {
                // indexed, but the folder did not outlive the host (a temporary one): the host no longer has it
                reply(exchange, 404, "");
                return;
            }
            exchange.getResponseHeaders().set("Content-Type", "application/octet-stream");
            exchange.sendResponseHeaders(200, Files.size(file));
            try (OutputStream out = exchange.getResponseBody()) {
                Files.copy(file, out);
            }
        }
    }

    private static void reply(HttpExchange exchange, int status, String json) throws IOException {
        byte[] body = json.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
        if (body.length > 0) {
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        }
    }

    private static void drain(InputStream in) throws IOException {
        in.transferTo(OutputStream.nullOutputStream());
    }

    private static Map<String, String> query(String raw) {
        Map<String, String> values = new java.util.HashMap<>();
        if (raw == null) {
            return values;
        }
        for (String pair : raw.split("&")) {
            int eq = pair.indexOf('=');
            if (eq > 0) {
                values.put(pair.substring(0, eq),
                        java.net.URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
            }
        }
        return values;
    }

    private static String stripQuery(String path) {
        int q = path.indexOf('?');
        return q < 0 ? path : path.substring(0, q);
    }

    private String token(int bytes) {
        byte[] raw = new byte[bytes];
        random.nextBytes(raw);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(raw);
    }

    private static MessageDigest sha() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A body's file name in the folder: the hex SHA-256 of its direct path (never a path the client chose). */
    private static String fileName(String directPath) {
        return HexFormat.of().formatHex(sha(directPath));
    }

    private static byte[] sha(String text) {
        return sha().digest(text.getBytes(StandardCharsets.UTF_8));
    }

    /** Stops serving; the files stay in the folder (see {@link #closeAndDelete}). */
    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }

    /** Stops serving and deletes the folder with every file in it (a sandbox's temporary folder). */
    public void closeAndDelete() {
        close();
        try (var paths = Files.walk(folder)) {
            paths.sorted(java.util.Comparator.reverseOrder()).forEach(path -> {
                try {
                    Files.deleteIfExists(path);
                } catch (IOException e) {
                    LOG.log(System.Logger.Level.DEBUG, "a media file could not be deleted", e);
                }
            });
        } catch (IOException e) {
            LOG.log(System.Logger.Level.DEBUG, "the media folder could not be listed", e);
        }
    }
}
