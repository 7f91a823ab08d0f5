package ponte.adapters.delivery.media;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.nio.file.Files;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import ponte.application.port.out.MediaFetcher.FetchFailed;
import ponte.adapters.delivery.egress.Egress;
import ponte.domain.egress.EgressPolicy;

/** Fetches from a real local HTTP server, through the SSRF guard, the cap and the timeouts. */
class HttpMediaFetcherTest {
    private final LocalPages pages;
    /** Private addresses allowed: the test server is on loopback. */
    private final Egress openEgress = new Egress("test", new EgressPolicy(true, false), Duration.ofSeconds(2), 1024);
    private final Egress strictEgress = new Egress("test", EgressPolicy.STRICT, Duration.ofSeconds(2), 1024);
    private final HttpMediaFetcher open = new HttpMediaFetcher(openEgress, Duration.ofMillis(500));
    private final HttpMediaFetcher guarded = new HttpMediaFetcher(strictEgress, Duration.ofMillis(500));

    HttpMediaFetcherTest() throws Exception {
        pages = new LocalPages();
    }

    @AfterEach
    void stop() {
        pages.close();
        openEgress.close();
        strictEgress.close();
    }

    @Test
    void aFileComesIntoATemporaryFileByteForByte() throws Exception {
        var body = Samples.picture("jpeg", 64, 64);
        pages.put("/a.jpg", "image/jpeg", body);
        var fetched = open.fetch(URI.create(pages.url("/a.jpg")), 1_000_000);
        try {
            assertThat(Files.readAllBytes(fetched.file())).isEqualTo(body);
            assertThat(fetched.size()).isEqualTo(body.length);
            assertThat(fetched.contentType()).contains("image/jpeg");
        } finally {
            Files.deleteIfExists(fetched.file());
        }
    }

    @Test
    void loopbackIsRefusedByDefaultEvenBehindARedirect() {
        pages.put("/a.jpg", "image/jpeg", new byte[] {1});
        assertThatThrownBy(() -> guarded.fetch(URI.create(pages.url("/a.jpg")), 1000))
                .isInstanceOf(FetchFailed.class).hasMessageContaining("127.0.0.1");
        // a public-looking name that resolves to loopback gets nowhere either
        assertThatThrownBy(() -> guarded.fetch(URI.create(pages.url("/a.jpg").replace("127.0.0.1", "localhost")),
                1000)).isInstanceOf(FetchFailed.class).hasMessageContaining("refused");
    }

    @Test
    void aRedirectToTheMetadataServiceIsRefusedEvenWhenPrivateTargetsAreAllowed() {
        pages.put("/go", exchange -> {
            exchange.getResponseHeaders().set("Location", "http://169.254.169.254/latest/meta-data/");
            exchange.sendResponseHeaders(302, -1);
        });
        assertThatThrownBy(() -> open.fetch(URI.create(pages.url("/go")), 1000))
                .isInstanceOf(FetchFailed.class).hasMessageContaining("169.254.169.254");
    }

    @Test
    void redirectsAreFollowedAndCounted() throws Exception {
        pages.put("/file", "application/pdf", Samples.pdf());
        pages.put("/hop", exchange -> {
            exchange.getResponseHeaders().set("Location", "/file");
            exchange.sendResponseHeaders(301, -1);
        });
        pages.put("/loop", exchange -> {
            exchange.getResponseHeaders().set("Location", "/loop");
            exchange.sendResponseHeaders(302, -1);
        });
        var fetched = open.fetch(URI.create(pages.url("/hop")), 1000);
        assertThat(Files.readAllBytes(fetched.file())).isEqualTo(Samples.pdf());
        assertThat(fetched.finalUrl()).hasToString(pages.url("/file"));
        Files.delete(fetched.file());
        assertThatThrownBy(() -> open.fetch(URI.create(pages.url("/loop")), 1000))
                .isInstanceOf(FetchFailed.class).hasMessageContaining("redirects");
    }

    @Test
    void aBodyOverTheCapIsRefusedWhetherItDeclaresItsLengthOrNot() {
        pages.put("/declared", "video/mp4", new byte[5000]);
        pages.put("/chunked", exchange -> {
            exchange.sendResponseHeaders(200, 0); // chunked: no Content-Length
            for (int i = 0; i < 10; i++) {
                exchange.getResponseBody().write(new byte[1000]);
            }
        });
        assertThatThrownBy(() -> open.fetch(URI.create(pages.url("/declared")), 4000))
                .isInstanceOf(FetchFailed.class).matches(e -> ((FetchFailed) e).tooLarge())
                .hasMessageContaining("5000 bytes");
        assertThatThrownBy(() -> open.fetch(URI.create(pages.url("/chunked")), 4000))
                .isInstanceOf(FetchFailed.class).matches(e -> ((FetchFailed) e).tooLarge());
    }

    @Test
    void aServerThatStallsTimesOut() {
        pages.put("/slow", exchange -> {
            exchange.sendResponseHeaders(200, 100);
            exchange.getResponseBody().write(new byte[10]);
            exchange.getResponseBody().flush();
            try {
                Thread.sleep(3000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        long started = System.nanoTime();
        assertThatThrownBy(() -> open.fetch(URI.create(pages.url("/slow")), 1000))
                .isInstanceOf(FetchFailed.class).hasMessageContaining("timed out");
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofMillis(2500));
    }

    @Test
    void aServerThatDripsItsBytesIsCutOffAtTheWholeFetchDeadline() {
        // one byte every 200 ms never trips the 2 s read timeout; the 1 s deadline for the whole fetch does
        pages.put("/drip", exchange -> {
            exchange.sendResponseHeaders(200, 100);
            try {
                for (int i = 0; i < 100; i++) {
                    exchange.getResponseBody().write(1);
                    exchange.getResponseBody().flush();
                    Thread.sleep(200);
                }
            } catch (InterruptedException | java.io.IOException e) {
                Thread.currentThread().interrupt();
            }
        });
        var deadlined = new HttpMediaFetcher(openEgress, Duration.ofSeconds(2), Duration.ofSeconds(1));
        long started = System.nanoTime();
        assertThatThrownBy(() -> deadlined.fetch(URI.create(pages.url("/drip")), 1000))
                .isInstanceOf(FetchFailed.class).hasMessageContaining("longer than 1 s");
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(5));
    }

    @Test
    void anHttpErrorIsNamed() {
        assertThatThrownBy(() -> open.fetch(URI.create(pages.url("/missing")), 1000))
                .isInstanceOf(FetchFailed.class).hasMessageContaining("HTTP 404");
    }
}
