package ponte.adapters.whatsapp.wiring;

import java.net.URI;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.function.Supplier;
import javax.sql.DataSource;
import ponte.adapters.whatsapp.client.ClientSettings;
import ponte.adapters.whatsapp.client.WaVersion;
import ponte.adapters.whatsapp.engine.SessionEngine;
import ponte.adapters.whatsapp.engine.WhatsAppEngine;
import ponte.adapters.whatsapp.socket.SocketSettings;
import ponte.adapters.whatsapp.socket.TrustRoot;
import ponte.adapters.whatsapp.store.DeviceStores;
import ponte.adapters.whatsapp.store.sql.SqlDeviceStore;
import ponte.application.port.in.InboundEventUseCase;
import ponte.application.port.in.InboundMessagesUseCase;
import ponte.application.port.in.SessionEventsUseCase;
import ponte.application.port.out.SecretCipher;

/**
 * Builds the session engine for one network: WhatsApp's (its URL and root) or a sandbox's (its URL and root). The
 * WhatsApp Web version is configuration because WhatsApp retires old builds with failure 405.
 */
public final class WireClientFactory {

    private final ClientSettings settings;

    private WireClientFactory(ClientSettings settings) {
        this.settings = settings;
    }

    /** The real network; {@code waVersion} like {@code 2.3000.1045649367}, or null for the built-in default. */
    public static WireClientFactory whatsapp(String waVersion) {
        return new WireClientFactory(ClientSettings.of(SocketSettings.whatsapp(), version(waVersion)));
    }

    public static WireClientFactory sandbox(String wsUrl, byte[] rootPublicKey, String waVersion) {
        SocketSettings socket = SocketSettings.whatsapp()
                .withEndpoint(URI.create(wsUrl), new TrustRoot(rootPublicKey, 0));
        return new WireClientFactory(ClientSettings.of(socket, version(waVersion)));
    }

    /**
     * The engine running instances' sessions with this factory's network and version: device credentials in
     * {@code dataSource} (sealed with {@code cipher}), reports to {@code reports}, calls and other received events to
     * {@code inbound} and messages and receipts to {@code messages} (both kept before WhatsApp's ack), each dial
     * through the proxy the application passes with the start.
     */
    public SessionEngine newEngine(DataSource dataSource, SecretCipher cipher, Supplier<SessionEventsUseCase> reports,
                                   Supplier<InboundEventUseCase> inbound, Supplier<InboundMessagesUseCase> messages,
                                   Clock clock) {
        return newEngine(dataSource, cipher, reports, inbound, messages, () -> (instanceId, changes) -> { }, clock);
    }

    /** As above, with what app-state sync learns (contact names, chat settings, labels) going to {@code appState}. */
    public SessionEngine newEngine(DataSource dataSource, SecretCipher cipher, Supplier<SessionEventsUseCase> reports,
                                   Supplier<InboundEventUseCase> inbound, Supplier<InboundMessagesUseCase> messages,
                                   Supplier<ponte.application.port.in.AppStateUseCase> appState, Clock clock) {
        return newEngine(dataSource, cipher, reports, inbound, messages, appState, null, clock);
    }

    /**
     * As above, with every write of a device's stored state fenced by its instance's lease: {@code leaseEpochs}
     * answers the epoch of the lease this node holds on an instance (empty when none), and a write made without one,
     * or with an epoch lower than one another node wrote with since, is refused
     * ({@link ponte.adapters.whatsapp.store.StaleEpochException}); null fences nothing.
     */
    public SessionEngine newEngine(DataSource dataSource, SecretCipher cipher, Supplier<SessionEventsUseCase> reports,
                                   Supplier<InboundEventUseCase> inbound, Supplier<InboundMessagesUseCase> messages,
                                   Supplier<ponte.application.port.in.AppStateUseCase> appState,
                                   java.util.function.Function<java.util.UUID, java.util.OptionalLong> leaseEpochs,
                                   Clock clock) {
        var store = SqlDeviceStore.migrateAndOpen(dataSource, cipher, clock);
        var stores = DeviceStores.of(leaseEpochs == null ? store : store.fencedBy(leaseEpochs));
        return new WhatsAppEngine(settings, stores, reports, inbound, messages, appState, clock, new SecureRandom());
    }

    private static WaVersion version(String text) {
        return text == null || text.isBlank() ? WaVersion.DEFAULT : WaVersion.parse(text);
    }
}
