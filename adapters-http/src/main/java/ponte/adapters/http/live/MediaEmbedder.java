package ponte.adapters.http.live;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.UUID;
import ponte.application.port.in.MediaUseCase;

/**
 * Puts a message event's media file into the payload for a WebSocket client with {@code media_base64}, on its writer thread (the
 * stored event stays small): {@code data.message.media.base64}, or {@code base64_omitted} with the reason when the
 * file is over {@code PONTE_MEDIA_BASE64_MAX_BYTES} ({@code too_large}) or not stored ({@code unavailable}).
 */
final class MediaEmbedder {
    private final ObjectMapper json = new ObjectMapper().enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);
    private final MediaUseCase media;

    MediaEmbedder(MediaUseCase media) {
        this.media = media;
    }

    /** The payload with the media embedded; unchanged when it is not a message event with media. */
    String embed(String payload) {
        try {
            var root = json.readTree(payload);
            if (!"message.exchange".equals(root.path("event").asText())) {
                return payload;
            }
            var message = root.path("data").path("message");
            if (!(message.path("media") instanceof ObjectNode mediaNode) || mediaNode.has("base64")
                    || !message.path("id").isTextual()) {
                return payload;
            }
            var embedded = media.embed(UUID.fromString(root.path("tenant_id").asText()),
                    UUID.fromString(root.path("instance_id").asText()), message.path("id").asText());
            embedded.base64().ifPresent(base64 -> mediaNode.put("base64", base64));
            embedded.omitted().ifPresent(reason -> mediaNode.put("base64_omitted", reason));
            return json.writeValueAsString(root);
        } catch (JsonProcessingException | IllegalArgumentException e) {
            return payload;
        }
    }
}
