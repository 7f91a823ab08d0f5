package ponte.adapters.whatsapp.client;

import java.util.Optional;
import ponte.adapters.whatsapp.store.DeviceCredentials;
import ponte.adapters.whatsapp.store.DeviceAccount;

/**
 * What a companion device is right now, shared by its connection and its features: its credentials (code pairing
 * replaces the ADV secret) and, once paired, its account. Read and written from the connection's threads.
 */
final class DeviceState {
    private volatile DeviceCredentials credentials;
    private volatile Optional<DeviceAccount> account;

    DeviceState(DeviceCredentials credentials, Optional<DeviceAccount> account) {
        this.credentials = credentials;
        this.account = account;
    }

    DeviceCredentials credentials() {
        return credentials;
    }

    void credentials(DeviceCredentials replaced) {
        this.credentials = replaced;
    }

    Optional<DeviceAccount> account() {
        return account;
    }

    void account(Optional<DeviceAccount> linked) {
        this.account = linked;
    }
}
