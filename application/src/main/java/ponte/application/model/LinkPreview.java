package ponte.application.model;

import java.util.Optional;

/**
 * The preview of a link in a text message ({@code extendedTextMessage}'s matched text, title, description and
 * thumbnail on the wire).
 *
 * @param matchedText  the link as it is written in the text
 * @param canonicalUrl the page's canonical URL
 * @param thumbnail    a small JPEG of the page's picture, when it has one
 */
public record LinkPreview(String matchedText, Optional<String> title, Optional<String> description,
                          String canonicalUrl, Optional<byte[]> thumbnail) {}
