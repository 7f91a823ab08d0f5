package ponte.application.port.out;

import java.util.Optional;
import java.util.UUID;
import ponte.domain.webhook.WebSocketConfig;

public interface WebSocketConfigStore {
    Optional<WebSocketConfig> find(UUID instanceId);

    void upsert(WebSocketConfig config);
}
