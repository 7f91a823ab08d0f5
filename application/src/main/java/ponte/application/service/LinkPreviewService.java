package ponte.application.service;

import java.io.IOException;
import java.nio.file.Files;
import java.util.Optional;
import java.util.regex.Pattern;
import ponte.application.model.LinkPreview;
import ponte.application.port.in.LinkPreviewUseCase;
import ponte.application.port.out.LinkPreviewPort;
import ponte.application.port.out.MediaFetcher;
import ponte.application.port.out.MediaProbe;
import ponte.domain.validation.ValidationException;

/**
 * Builds the preview of the first link in a text: the page's title and description and, when it names a picture,
 * a small JPEG of it; the page and the picture are both fetched through the SSRF guard.
 */
final class LinkPreviewService implements LinkPreviewUseCase {
    /** A page's picture is only a thumbnail's source: 5 MB is ample. */
    static final long MAX_PICTURE_BYTES = 5L * 1024 * 1024;
    private static final Pattern LINK = Pattern.compile("https?://[^\\s<>\"]+", Pattern.CASE_INSENSITIVE);
    private static final int MAX_TITLE = 300;
    private static final int MAX_DESCRIPTION = 1000;

    private final LinkPreviewPort pages;
    private final MediaFetcher fetcher;
    private final MediaProbe probe;
    private final MediaSettings settings;

    LinkPreviewService(LinkPreviewPort pages, MediaFetcher fetcher, MediaProbe probe, MediaSettings settings) {
        this.pages = pages;
        this.fetcher = fetcher;
        this.probe = probe;
        this.settings = settings;
    }

    @Override
    public Optional<LinkPreview> preview(String text) {
        if (text == null) {
            return Optional.empty();
        }
        var matcher = LINK.matcher(text);
        if (!matcher.find()) {
            return Optional.empty();
        }
        // trailing punctuation belongs to the sentence, not the link
        var link = matcher.group().replaceAll("[.,;:!?)\\]}'\"]+$", "");
        java.net.URI uri;
        try {
            uri = settings.fetchPolicy().parse("text", link);
        } catch (ValidationException refused) {
            return Optional.empty();
        }
        var page = pages.summarise(uri);
        if (page.isEmpty() || (page.get().title().isEmpty() && page.get().description().isEmpty())) {
            return Optional.empty();
        }
        var summary = page.get();
        return Optional.of(new LinkPreview(link, summary.title().map(t -> cut(t, MAX_TITLE)),
                summary.description().map(d -> cut(d, MAX_DESCRIPTION)), summary.canonicalUrl().toString(),
                summary.imageUrl().flatMap(this::thumbnail)));
    }

    private Optional<byte[]> thumbnail(java.net.URI picture) {
        try {
            var checked = settings.fetchPolicy().parse("og:image", picture.toString());
            var fetched = fetcher.fetch(checked, MAX_PICTURE_BYTES);
            try {
                return probe.picture(fetched.file(), MediaIntakeService.THUMBNAIL_SIDE)
                        .map(MediaProbe.Picture::thumbnail);
            } finally {
                Files.deleteIfExists(fetched.file());
            }
        } catch (ValidationException | MediaFetcher.FetchFailed | IOException e) {
            return Optional.empty();
        }
    }

    private static String cut(String text, int max) {
        var stripped = text.strip();
        return stripped.length() <= max ? stripped : stripped.substring(0, max - 1) + "…";
    }
}
