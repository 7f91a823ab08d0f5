package ponte.bootstrap;

import dagger.BindsInstance;
import dagger.Component;
import jakarta.inject.Singleton;
import java.time.Clock;
import ponte.adapters.delivery.WebhookDelivery;
import ponte.adapters.http.HttpAdapter;
import ponte.adapters.whatsapp.engine.SessionEngine;
import ponte.adapters.persistence.PersistenceAdapter;
import ponte.application.port.in.UseCases;
import ponte.application.port.out.SecretCipher;

@Singleton
@Component(modules = GatewayModule.class)
interface GatewayComponent {
    UseCases useCases();

    EventSignals eventSignals();

    HttpAdapter http();

    SecretCipher secretCipher();

    WebhookDelivery webhookDelivery();

    ponte.adapters.delivery.chatwoot.ChatwootDispatcher chatwootDispatcher();

    PersistenceAdapter persistence();

    NodeId nodeId();

    WhatsAppNetwork whatsAppNetwork();

    SessionEngine engine();

    OutgoingSenderLoop outgoingSender();

    NodeLoop nodeLoop();

    Egresses egresses();

    @Component.Factory
    interface Factory {
        GatewayComponent create(@BindsInstance Config config, @BindsInstance Database database,
                                @BindsInstance Clock clock);
    }
}
