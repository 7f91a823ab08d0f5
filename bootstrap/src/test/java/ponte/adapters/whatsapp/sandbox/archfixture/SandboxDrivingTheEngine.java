package ponte.adapters.whatsapp.sandbox.archfixture;

import java.util.UUID;
import ponte.adapters.whatsapp.engine.SessionEngine;

/**
 * The simulated server driving the companion's engine, on purpose, so the layering test can show its rule fires: a
 * sandbox that shares the client's code can no longer catch the client's bugs.
 */
public final class SandboxDrivingTheEngine {
    private SandboxDrivingTheEngine() {}

    public static boolean online(SessionEngine engine, UUID instance) {
        return engine.isOnline(instance);
    }
}
