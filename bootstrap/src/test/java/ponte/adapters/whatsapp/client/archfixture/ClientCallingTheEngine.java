package ponte.adapters.whatsapp.client.archfixture;

import java.util.UUID;
import ponte.adapters.whatsapp.engine.SessionEngine;

/** A client class that calls the engine above it, on purpose, so the layering test can show its rule fires. */
public final class ClientCallingTheEngine {
    private ClientCallingTheEngine() {}

    public static void stop(SessionEngine engine, UUID instance) {
        engine.stop(instance);
    }
}
