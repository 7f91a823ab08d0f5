package ponte.bootstrap;

import dagger.BindsInstance;
import dagger.Component;
import jakarta.inject.Singleton;
import java.time.Clock;
import ponte.adapters.http.HttpAdapter;
import ponte.application.port.out.SecretCipher;
import ponte.application.service.ApplicationServices;

@Singleton
@Component(modules = GatewayModule.class)
interface GatewayComponent {
    ApplicationServices services();

    HttpAdapter http();

    SecretCipher secretCipher();

    WhatsAppNetwork whatsAppNetwork();

    @Component.Factory
    interface Factory {
        GatewayComponent create(@BindsInstance Config config, @BindsInstance Database database,
                                @BindsInstance Clock clock);
    }
}
