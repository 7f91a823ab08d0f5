package ponte.adapters.whatsapp.wiring.archfixture;

import ponte.adapters.whatsapp.engine.archfixture.EngineBuildingItsFactory;

/** The other half of the engine-wiring cycle in {@link EngineBuildingItsFactory}. */
public final class WiringUsingTheEngine {
    private WiringUsingTheEngine() {}

    public static String version() {
        return EngineBuildingItsFactory.class.getSimpleName().isEmpty() ? null : "2.3000.1045649367";
    }
}
