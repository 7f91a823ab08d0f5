package ponte.adapters.whatsapp.store;

/** The stores one companion device needs, usually all backed by one {@code SqlDeviceStore}. */
public record DeviceStores(DeviceStore devices, AccountStore accounts, PreKeyStore preKeys, SignalStateStore signal,
                           LidMappingStore lids, PrivacyTokenStore tokens, AppStateStore appState,
                           PollStore polls) {

    public static <S extends DeviceStore & AccountStore & PreKeyStore & SignalStateStore & LidMappingStore
            & PrivacyTokenStore & AppStateStore & PollStore> DeviceStores of(S store) {
        return new DeviceStores(store, store, store, store, store, store, store, store);
    }
}
