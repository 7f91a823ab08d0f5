// App-state sync as Baileys computes it (its key expansion and LTHash come from whatsapp-rust-bridge, its patch
// codec from chat-utils), the oracle of Ponte's appstate package. State travels as {version, hash (hex),
// indexValueMap: {<base64 index MAC>: <hex value MAC>}}; actions as protobufjs JSON objects of SyncActionValue.
import crypto from 'node:crypto';
import * as B from 'baileys';
import { expandAppStateKeys } from 'whatsapp-rust-bridge';
import { hex, unhex, silentLogger } from './common.mjs';

const toBaileysState = (state) => ({
    version: state.version,
    hash: unhex(state.hash),
    indexValueMap: Object.fromEntries(Object.entries(state.indexValueMap ?? {})
        .map(([indexMac, valueMac]) => [indexMac, { valueMac: unhex(valueMac) }]))
});

const fromBaileysState = (state) => ({
    version: Number(state.version),
    hash: hex(state.hash),
    indexValueMap: Object.fromEntries(Object.entries(state.indexValueMap)
        .map(([indexMac, { valueMac }]) => [indexMac, hex(valueMac)]))
});

const keyStore = (request) => async (base64Id) =>
    base64Id === unhex(request.keyId).toString('base64') ? { keyData: unhex(request.keyData) } : undefined;

const mutationsOut = (map) => Object.values(map).map(({ syncAction, index }) => ({
    index,
    action: B.proto.SyncActionValue.toObject(syncAction.value, { longs: Number, defaults: false })
}));

export const appStateOperations = {
    appStateKeys: async (request) => {
        const keys = expandAppStateKeys(unhex(request.keyData));
        return { index: hex(keys.indexKey), valueEncryption: hex(keys.valueEncryptionKey),
            valueMac: hex(keys.valueMacKey), snapshotMac: hex(keys.snapshotMacKey), patchMac: hex(keys.patchMacKey) };
    },
    ltHash: async (request) => ({
        hash: hex(B.LT_HASH_ANTI_TAMPERING.subtractThenAdd(unhex(request.base),
            request.remove.map(unhex), request.add.map(unhex)))
    }),
    // One mutation, encoded by Baileys the way its app-state writes go out.
    encodePatch: async (request) => {
        const { patch, state } = await B.encodeSyncdPatch({
            type: request.name, index: request.index, apiVersion: 2,
            syncAction: B.proto.SyncActionValue.fromObject(request.action),
            operation: request.operation === 'REMOVE' ? B.proto.SyncdMutation.SyncdOperation.REMOVE
                : B.proto.SyncdMutation.SyncdOperation.SET
        }, unhex(request.keyId).toString('base64'), toBaileysState(request.state), keyStore(request));
        patch.version = { version: state.version };
        return { patch: hex(B.proto.SyncdPatch.encode(patch).finish()), state: fromBaileysState(state) };
    },
    decodePatch: async (request) => {
        const patch = B.proto.SyncdPatch.decode(unhex(request.patch));
        const { state, mutationMap } = await B.decodePatches(request.name, [patch], toBaileysState(request.state),
            keyStore(request), {}, undefined, silentLogger, true);
        return { state: fromBaileysState(state), mutations: mutationsOut(mutationMap) };
    },
    decodeSnapshot: async (request) => {
        const snapshot = B.proto.SyncdSnapshot.decode(unhex(request.snapshot));
        const { state, mutationMap } = await B.decodeSyncdSnapshot(request.name, snapshot, keyStore(request),
            undefined, true, silentLogger);
        // Baileys only warns on a snapshot MAC mismatch, so the check is made here with its expanded key
        const keys = expandAppStateKeys(unhex(request.keyData));
        const version = Buffer.alloc(8);
        version.writeBigUInt64BE(BigInt(state.version));
        const mac = crypto.createHmac('sha256', keys.snapshotMacKey)
            .update(Buffer.concat([state.hash, version, Buffer.from(request.name)])).digest();
        return { state: fromBaileysState(state), mutations: mutationsOut(mutationMap),
            macValid: Buffer.compare(mac, Buffer.from(snapshot.mac)) === 0 };
    }
};
