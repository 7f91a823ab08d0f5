package ponte.adapters.whatsapp.media;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import ponte.adapters.whatsapp.binary.Node;

/**
 * One device's media transfers (protocol.md §1.16). It asks the server for a {@code media_conn}
 * ({@code <iq xmlns="w:m" type="set"><media_conn/></iq>}) and keeps it until its ttl runs out; uploads encrypt the
 * file into a temporary body first (the upload URL names the body's hash), then {@code POST
 * https://<host>/mms/<type>/<token>?auth=<auth>&token=<token>}; downloads fetch {@code https://<host><directPath>}
 * into a temporary file while hashing and MACing it (over {@link MediaHttp}: direct, or through the instance's
 * proxy as its chat socket), and decrypt only once both check out. Failed requests (I/O
 * errors, 5xx) are tried again after a growing delay; a 401 fetches a fresh {@code media_conn} first; a 404 or 410
 * is {@link MediaTransferException.Reason#GONE} at once. Memory use does not depend on the file's size.
 */
public final class MediaClient {

    private static final System.Logger LOG = System.getLogger(MediaClient.class.getName());
    private static final String ORIGIN = "https://web.whatsapp.com";
    private static final Pattern DIRECT_PATH = Pattern.compile("\"direct_path\"\\s*:\\s*\"([^\"]+)\"");
    private static final Pattern URL = Pattern.compile("\"url\"\\s*:\\s*\"([^\"]+)\"");
    /** An upload's answer is a small JSON object; more than this is not read. */
    private static final int MAX_ANSWER_BYTES = 64 * 1024;

    /** How often and how patiently requests are tried: {@code attempts} in all, waits of step, 2×step, 4×step… */
    public record Retry(int attempts, Duration step, Duration requestTimeout) {
        public static final Retry DEFAULT = new Retry(4, Duration.ofSeconds(1), Duration.ofMinutes(5));
    }

    /** A {@code media_conn}: the upload auth and the hosts, valid until {@code expires}. */
    public record MediaConn(String auth, List<String> hosts, Instant expires) {
    }

    /** An uploaded file: where it lies and what its media message must carry. */
    public record Uploaded(String directPath, Optional<String> url, byte[] mediaKey, MediaCipher.Sealed sealed) {
    }

    private final Supplier<CompletableFuture<Node>> mediaConnIq;
    private final MediaHttp http;
    private final Clock clock;
    private final SecureRandom random;
    private final Retry retry;
    private final Duration iqTimeout;
    private MediaConn conn;

    /**
     * @param mediaConnIq sends {@code <iq xmlns="w:m" type="set"><media_conn/></iq>} and completes with the answer
     * @param http        the device's media HTTP: its trust root and its way to the hosts (direct or through the
     *                    instance's proxy, as its chat socket)
     */
    public MediaClient(Supplier<CompletableFuture<Node>> mediaConnIq, MediaHttp http, Clock clock,
            SecureRandom random, Retry retry, Duration iqTimeout) {
        this.mediaConnIq = mediaConnIq;
        this.http = http;
        this.clock = clock;
        this.random = random;
        this.retry = retry;
        this.iqTimeout = iqTimeout;
    }

    /** The {@code media_conn} in use, fetched when there is none or its ttl has run out. */
    public synchronized MediaConn mediaConn() throws MediaTransferException {
        if (conn == null || !clock.instant().isBefore(conn.expires())) {
            conn = fetchMediaConn();
        }
        return conn;
    }

    private synchronized void forgetMediaConn() {
        conn = null;
    }

    private MediaConn fetchMediaConn() throws MediaTransferException {
        Node answer;
        try {
            answer = mediaConnIq.get().get(iqTimeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException | TimeoutException e) {
            throw new MediaTransferException(MediaTransferException.Reason.FAILED, "media_conn was not answered", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new MediaTransferException(MediaTransferException.Reason.FAILED, "interrupted", e);
        }
        Node media = answer.child("media_conn").orElseThrow(() -> new MediaTransferException(
                MediaTransferException.Reason.FAILED, "the media_conn answer has no media_conn"));
        List<String> hosts = media.children().stream().filter(child -> child.tag().equals("host"))
                .map(host -> host.attributeOr("hostname", "")).filter(name -> !name.isEmpty()).toList();
        String auth = media.attributeOr("auth", "");
        if (hosts.isEmpty() || auth.isEmpty()) {
            throw new MediaTransferException(MediaTransferException.Reason.FAILED, "media_conn names no host or auth");
        }
        long ttl = Long.parseLong(media.attributeOr("ttl", "60"));
        return new MediaConn(auth, hosts, clock.instant().plusSeconds(ttl));
    }

    /** Encrypts {@code plaintext} with a fresh media key and uploads it. */
    public Uploaded upload(MediaType type, InputStream plaintext) throws IOException, MediaTransferException {
        byte[] mediaKey = new byte[MediaKeys.MEDIA_KEY_LENGTH];
        random.nextBytes(mediaKey);
        return upload(type, plaintext, mediaKey);
    }

    /**
     * Encrypts {@code plaintext} with {@code mediaKey} and uploads it. The same key and file give the same body, so
     * a re-upload for a media-retry request keeps every field of the sent message but the direct path.
     */
    public Uploaded upload(MediaType type, InputStream plaintext, byte[] mediaKey)
            throws IOException, MediaTransferException {
        Path body = Files.createTempFile("ponte-upload-", ".enc");
        try {
            MediaCipher.Sealed sealed;
            try (OutputStream out = Files.newOutputStream(body)) {
                sealed = MediaCipher.encrypt(mediaKey, type, plaintext, out);
            }
            String token = Base64.getUrlEncoder().withoutPadding().encodeToString(sealed.fileEncSha256());
            MediaTransferException last = null;
            for (int attempt = 0; attempt < retry.attempts(); attempt++) {
                pause(attempt);
                MediaConn current = mediaConn();
                for (String host : current.hosts()) {
                    URI uri = URI.create("https://" + host + type.uploadPath() + "/" + token + "?auth="
                            + URLEncoder.encode(current.auth(), StandardCharsets.UTF_8) + "&token=" + token);
                    try (MediaHttp.Response response = http.send("POST", uri, Map.of("Origin", ORIGIN,
                            "Referer", ORIGIN + "/", "Content-Type", "application/octet-stream"), Optional.of(body),
                            retry.requestTimeout())) {
                        if (response.status() == 200) {
                            String answer = response.text(MAX_ANSWER_BYTES);
                            Matcher path = DIRECT_PATH.matcher(answer);
                            if (path.find()) {
                                Matcher url = URL.matcher(answer);
                                return new Uploaded(path.group(1), url.find() ? Optional.of(url.group(1))
                                        : Optional.empty(), mediaKey.clone(), sealed);
                            }
                        }
                        if (response.status() == 401 || response.status() == 403) {
                            forgetMediaConn();
                        }
                        last = new MediaTransferException(MediaTransferException.Reason.FAILED,
                                "the media host answered an upload with " + response.status());
                    } catch (IOException e) {
                        last = new MediaTransferException(MediaTransferException.Reason.FAILED,
                                "the media host could not be reached", e);
                    }
                    LOG.log(System.Logger.Level.DEBUG, "upload to {0} failed: {1}", host, last.getMessage());
                }
            }
            throw last;
        } finally {
            Files.deleteIfExists(body);
        }
    }

    /**
     * Downloads the body at {@code directPath}, checks its {@code fileEncSha256} and MAC, and only then decrypts it
     * into {@code plaintext}, checking {@code fileSha256} at the end.
     *
     * @return the plaintext's length
     */
    public long download(MediaType type, String directPath, byte[] mediaKey, byte[] fileEncSha256,
            byte[] fileSha256, OutputStream plaintext) throws IOException, MediaTransferException {
        MediaKeys keys = MediaKeys.expand(mediaKey, type);
        Path body = Files.createTempFile("ponte-download-", ".enc");
        try {
            MediaCipher.BodyCheck check = fetch(directPath, keys, body);
            try {
                check.finish(fileEncSha256);
                return MediaCipher.decryptChecked(keys, body, check.length(), fileSha256, plaintext);
            } catch (MediaIntegrityException e) {
                throw new MediaTransferException(MediaTransferException.Reason.INTEGRITY, e.getMessage(), e);
            }
        } finally {
            Files.deleteIfExists(body);
        }
    }

    private MediaCipher.BodyCheck fetch(String directPath, MediaKeys keys, Path body)
            throws IOException, MediaTransferException {
        MediaTransferException last = null;
        for (int attempt = 0; attempt < retry.attempts(); attempt++) {
            pause(attempt);
            for (String host : mediaConn().hosts()) {
                try (MediaHttp.Response response = http.send("GET", URI.create("https://" + host + directPath),
                        Map.of("Origin", ORIGIN), Optional.empty(), retry.requestTimeout())) {
                    InputStream in = response.body();
                    int status = response.status();
                    if (status == 404 || status == 410) {
                        throw new MediaTransferException(MediaTransferException.Reason.GONE,
                                "the media host no longer has the file (" + status + ")");
                    }
                    if (status != 200) {
                        last = new MediaTransferException(MediaTransferException.Reason.FAILED,
                                "the media host answered a download with " + status);
                        continue;
                    }
                    MediaCipher.BodyCheck check = new MediaCipher.BodyCheck(keys);
                    byte[] buffer = new byte[64 * 1024];
                    try (OutputStream out = Files.newOutputStream(body)) {
                        for (int read; (read = in.read(buffer)) != -1; ) {
                            check.update(buffer, 0, read);
                            out.write(buffer, 0, read);
                        }
                    }
                    return check;
                } catch (IOException e) {
                    last = new MediaTransferException(MediaTransferException.Reason.FAILED,
                            "the media host could not be reached", e);
                }
            }
        }
        throw last;
    }

    private void pause(int attempt) throws MediaTransferException {
        if (attempt == 0) {
            return;
        }
        try {
            Thread.sleep(retry.step().multipliedBy(1L << Math.min(attempt - 1, 10)));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new MediaTransferException(MediaTransferException.Reason.FAILED, "interrupted", e);
        }
    }
}
