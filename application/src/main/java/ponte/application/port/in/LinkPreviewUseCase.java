package ponte.application.port.in;

import java.util.Optional;
import ponte.application.model.LinkPreview;

/** The preview a text message shows for the first link it contains (issue 11: fetched through the SSRF guard). */
public interface LinkPreviewUseCase {

    /**
     * Finds the first http(s) link in {@code text} and reads its page's title, description, canonical URL and
     * picture (as a small JPEG thumbnail). Best effort: empty when there is no link, the link is refused by the
     * SSRF guard, or the page cannot be had; a send never fails for its preview.
     */
    Optional<LinkPreview> preview(String text);
}
