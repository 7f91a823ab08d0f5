package ponte.application.service;

import java.time.Clock;
import ponte.application.error.NotFoundException;
import ponte.application.port.in.ConfigureWebSocketUseCase;
import ponte.application.port.out.Transactions;
import ponte.application.port.out.WebSocketConfigStore;
import ponte.domain.auth.Principal;
import ponte.domain.validation.ValidationException;
import ponte.domain.webhook.WebSocketConfig;

final class WebSocketService implements ConfigureWebSocketUseCase {
    private final WebSocketConfigStore configs;
    private final InstanceAccess access;
    private final Transactions transactions;
    private final Clock clock;

    WebSocketService(WebSocketConfigStore configs, InstanceAccess access, Transactions transactions, Clock clock) {
        this.configs = configs;
        this.access = access;
        this.transactions = transactions;
        this.clock = clock;
    }

    @Override
    public WebSocketConfig get(Principal caller, String instance) {
        var target = access.resolve(caller, instance);
        return configs.find(target.id()).orElseThrow(() -> new NotFoundException(
                "the WebSocket of instance '" + instance + "' was never configured"));
    }

    @Override
    public WebSocketConfig put(Principal caller, String instance, WebSocketConfig.Patch patch) {
        return transactions.inTransaction(() -> {
            var target = access.resolve(caller, instance);
            var config = patch.applyTo(configs.find(target.id()).orElse(null), target.id(), target.tenantId(),
                    clock.instant());
            configs.upsert(config);
            return config;
        });
    }

    @Override
    public LiveFeed open(Principal caller, String instance) {
        var target = access.resolve(caller, instance);
        var config = configs.find(target.id()).filter(WebSocketConfig::enabled).orElseThrow(() ->
                ValidationException.of("websocket", "the live feed of this instance is not enabled; "
                        + "PUT /v1/instances/" + instance + "/websocket {\"enabled\":true} first"));
        return new LiveFeed(target, config);
    }
}
