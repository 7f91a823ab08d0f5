package ponte.adapters.whatsapp.store.archfixture;

import java.util.UUID;
import ponte.adapters.whatsapp.engine.SessionEngine;

/** A store class that reaches up to the engine, on purpose, so the layering test can show its rule fires. */
public final class StoreAskingTheEngine {
    private StoreAskingTheEngine() {}

    public static boolean running(SessionEngine engine, UUID instance) {
        return engine.isRunning(instance);
    }
}
