package ponte.application.port.out;

import java.net.URI;
import java.util.Optional;

/** Reads a web page's preview: its title, description, canonical URL and picture (Open Graph, then HTML). */
public interface LinkPreviewPort {

    /**
     * Fetches the page at {@code url} through the SSRF guard and reads its preview.
     *
     * @return empty when the page could not be had or is not HTML
     */
    Optional<PageSummary> summarise(URI url);

    /**
     * What a page says of itself.
     *
     * @param canonicalUrl {@code og:url} or {@code <link rel=canonical>}, else the URL fetched
     * @param imageUrl     {@code og:image}, resolved against the page
     */
    record PageSummary(Optional<String> title, Optional<String> description, URI canonicalUrl,
                       Optional<URI> imageUrl) {}
}
