package ponte.adapters.delivery.media;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import ponte.adapters.delivery.egress.Egress;
import ponte.domain.egress.EgressPolicy;

/** Previews read from real pages on a local HTTP server. */
class JsoupLinkPreviewsTest {
    private final LocalPages pages;
    private final Egress egress = new Egress("test", new EgressPolicy(true, false), Duration.ofSeconds(2), 1024);
    private final JsoupLinkPreviews previews = new JsoupLinkPreviews(new HttpMediaFetcher(egress,
            Duration.ofSeconds(2)));

    JsoupLinkPreviewsTest() throws Exception {
        pages = new LocalPages();
    }

    @AfterEach
    void stop() {
        pages.close();
        egress.close();
    }

    @Test
    void openGraphWinsOverTheHtmlTitle() {
        pages.put("/article", "text/html; charset=utf-8", ("""
                <!doctype html><html><head><title>HTML title</title>
                <meta property="og:title" content="Ponte ships media">
                <meta property="og:description" content="Pictures, voice notes &amp; documents">
                <meta property="og:url" content="https://ponte.example/article">
                <meta property="og:image" content="/cover.jpg">
                </head><body><p>text</body></html>""").getBytes(StandardCharsets.UTF_8));
        var summary = previews.summarise(URI.create(pages.url("/article"))).orElseThrow();
        assertThat(summary.title()).contains("Ponte ships media");
        assertThat(summary.description()).contains("Pictures, voice notes & documents");
        assertThat(summary.canonicalUrl()).hasToString("https://ponte.example/article");
        assertThat(summary.imageUrl()).contains(URI.create(pages.url("/cover.jpg")));
    }

    @Test
    void plainHtmlFallsBackToTitleMetaDescriptionAndCanonicalLink() {
        pages.put("/plain", "text/html", ("<html><head><title> Plain page </title>"
                + "<meta name=\"description\" content=\"About plain things\">"
                + "<link rel=\"canonical\" href=\"/canonical\"></head></html>").getBytes(StandardCharsets.UTF_8));
        var summary = previews.summarise(URI.create(pages.url("/plain"))).orElseThrow();
        assertThat(summary.title()).contains("Plain page");
        assertThat(summary.description()).contains("About plain things");
        assertThat(summary.canonicalUrl()).hasToString(pages.url("/canonical"));
        assertThat(summary.imageUrl()).isEmpty();
    }

    @Test
    void whatIsNotHtmlOrNotThereHasNoPreview() {
        pages.put("/file.pdf", "application/pdf", Samples.pdf());
        assertThat(previews.summarise(URI.create(pages.url("/file.pdf")))).isEmpty();
        assertThat(previews.summarise(URI.create(pages.url("/missing")))).isEmpty();
    }
}
