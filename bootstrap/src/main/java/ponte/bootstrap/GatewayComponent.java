package ponte.bootstrap;

import dagger.BindsInstance;
import dagger.Component;
import jakarta.inject.Singleton;
import java.time.Clock;
import ponte.adapters.delivery.WebhookDelivery;
import ponte.adapters.http.HttpAdapter;
import ponte.adapters.whatsapp.engine.SessionEngine;
import ponte.adapters.persistence.PersistenceAdapter;
import ponte.application.port.out.SecretCipher;
import ponte.application.service.ApplicationServices;

@Singleton
@Component(modules = GatewayModule.class)
interface GatewayComponent {
    ApplicationServices services();

    HttpAdapter http();

    SecretCipher secretCipher();

    WebhookDelivery webhookDelivery();

    PersistenceAdapter persistence();

    NodeId nodeId();

    WhatsAppNetwork whatsAppNetwork();

    SessionEngine engine();

    @Component.Factory
    interface Factory {
        GatewayComponent create(@BindsInstance Config config, @BindsInstance Database database,
                                @BindsInstance Clock clock);
    }
}
