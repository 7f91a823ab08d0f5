package ponte.adapters.delivery.media;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.Locale;
import java.util.Optional;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import ponte.application.port.out.LinkPreviewPort;
import ponte.application.port.out.MediaFetcher;

/**
 * Reads a page's preview with jsoup: Open Graph ({@code og:title}, {@code og:description}, {@code og:url},
 * {@code og:image}) first, then {@code <title>}, {@code <meta name=description>} and {@code <link rel=canonical>}.
 * The page comes through the SSRF-guarded fetcher, capped at {@link #MAX_PAGE_BYTES}.
 */
public final class JsoupLinkPreviews implements LinkPreviewPort {
    /** The head of a page is what a preview needs; 1 MiB holds it for any real page. */
    static final long MAX_PAGE_BYTES = 1024 * 1024;

    private final MediaFetcher fetcher;

    public JsoupLinkPreviews(MediaFetcher fetcher) {
        this.fetcher = fetcher;
    }

    @Override
    public Optional<PageSummary> summarise(URI url) {
        MediaFetcher.Fetched page;
        try {
            page = fetcher.fetch(url, MAX_PAGE_BYTES);
        } catch (MediaFetcher.FetchFailed e) {
            return Optional.empty();
        }
        try {
            var type = page.contentType().orElse("text/html").toLowerCase(Locale.ROOT);
            if (!type.startsWith("text/html") && !type.startsWith("application/xhtml")) {
                return Optional.empty();
            }
            Document document;
            try (var in = Files.newInputStream(page.file())) {
                document = Jsoup.parse(in, charset(type), page.finalUrl().toString());
            }
            var title = meta(document, "og:title").or(() -> text(document.title()));
            var description = meta(document, "og:description")
                    .or(() -> text(document.select("meta[name=description]").attr("content")));
            var canonical = meta(document, "og:url")
                    .or(() -> text(document.select("link[rel=canonical]").attr("abs:href")))
                    .flatMap(JsoupLinkPreviews::uri).orElse(page.finalUrl());
            var image = text(document.select("meta[property=og:image], meta[name=og:image]").attr("abs:content"))
                    .flatMap(JsoupLinkPreviews::uri);
            return Optional.of(new PageSummary(title, description, canonical, image));
        } catch (IOException e) {
            return Optional.empty();
        } finally {
            try {
                Files.deleteIfExists(page.file());
            } catch (IOException ignored) {
                // a temporary file: the OS cleans its temp directory
            }
        }
    }

    private static Optional<String> meta(Document document, String property) {
        return text(document.select("meta[property=" + property + "], meta[name=" + property + "]").attr("content"));
    }

    private static Optional<String> text(String value) {
        return value == null || value.isBlank() ? Optional.empty() : Optional.of(value.strip());
    }

    private static Optional<URI> uri(String text) {
        try {
            var uri = new URI(text);
            return uri.isAbsolute() && ("http".equalsIgnoreCase(uri.getScheme())
                    || "https".equalsIgnoreCase(uri.getScheme())) ? Optional.of(uri) : Optional.empty();
        } catch (java.net.URISyntaxException e) {
            return Optional.empty();
        }
    }

    /** The charset the Content-Type names, or null to let jsoup read it from the page (then UTF-8). */
    private static String charset(String contentType) {
        var at = contentType.indexOf("charset=");
        if (at < 0) {
            return null;
        }
        var name = contentType.substring(at + 8).replace("\"", "").split(";")[0].strip();
        return Charset.isSupported(name) ? name : StandardCharsets.UTF_8.name();
    }
}
