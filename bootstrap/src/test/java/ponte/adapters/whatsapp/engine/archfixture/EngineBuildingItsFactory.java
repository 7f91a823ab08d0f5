package ponte.adapters.whatsapp.engine.archfixture;

import ponte.adapters.whatsapp.wiring.WireClientFactory;
import ponte.adapters.whatsapp.wiring.archfixture.WiringUsingTheEngine;

/**
 * An engine class that imports the wiring that builds it, the cycle the adapter once had, on purpose, so the layering
 * test can show its rules fire.
 */
public final class EngineBuildingItsFactory {
    private EngineBuildingItsFactory() {}

    public static WireClientFactory factory() {
        return WireClientFactory.whatsapp(WiringUsingTheEngine.version());
    }
}
