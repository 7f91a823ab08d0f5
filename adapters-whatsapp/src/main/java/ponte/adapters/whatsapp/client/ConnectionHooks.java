package ponte.adapters.whatsapp.client;

import java.util.Optional;
import ponte.adapters.whatsapp.binary.Jid;
import ponte.adapters.whatsapp.binary.Node;
import ponte.adapters.whatsapp.proto.Wire.ClientPayload;
import ponte.adapters.whatsapp.store.DeviceCredentials;

/**
 * What the device above a connection tells it: the payload of each attempt (it changes from registration to login
 * when pairing succeeds) and what to do at login, which runs on the connection's inbox. The nodes the features
 * handle go through {@link NodeHandlers} instead.
 */
interface ConnectionHooks {

    ClientPayload payload(WaVersion version);

    void onLoggedIn(Node success);

    /** A device that never changes identity and adds nothing: registration without a JID, login with one. */
    static ConnectionHooks fixed(DeviceCredentials keys, Optional<Jid> device) {
        return new ConnectionHooks() {
            @Override
            public ClientPayload payload(WaVersion version) {
                return device.map(jid -> ClientPayloads.login(jid, version))
                        .orElseGet(() -> ClientPayloads.registration(keys, version, "Ponte"));
            }

            @Override
            public void onLoggedIn(Node success) {
                // nothing beyond the connection itself
            }
        };
    }
}
