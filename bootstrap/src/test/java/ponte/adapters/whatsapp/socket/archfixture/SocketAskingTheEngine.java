package ponte.adapters.whatsapp.socket.archfixture;

import java.util.UUID;
import ponte.adapters.whatsapp.engine.SessionEngine;

/** A socket class that reaches up to the engine, on purpose, so the layering test can show its rule fires. */
public final class SocketAskingTheEngine {
    private SocketAskingTheEngine() {}

    public static boolean online(SessionEngine engine, UUID instance) {
        return engine.isOnline(instance);
    }
}
