package ponte.application.port.in;

import ponte.domain.auth.Principal;
import ponte.domain.instance.Instance;
import ponte.domain.webhook.WebSocketConfig;

/** The live feed (WebSocket and SSE) of an instance: one configuration each. */
public interface ConfigureWebSocketUseCase {
    /** Not found when never configured. */
    WebSocketConfig get(Principal caller, String instance);

    /** A partial update, as every configuration PUT is: what the patch leaves out keeps its stored value. */
    WebSocketConfig put(Principal caller, String instance, WebSocketConfig.Patch patch);

    /** What a live client may open: the instance and its filter; a validation error when the feed is disabled. */
    LiveFeed open(Principal caller, String instance);

    record LiveFeed(Instance instance, WebSocketConfig config) {}
}
