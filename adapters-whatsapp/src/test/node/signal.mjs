// Baileys' Signal repository (libsignal-node for 1:1, Baileys' own group cipher for sender keys) as the oracle of
// Ponte's Signal package. Each party is a Baileys auth state kept here under a name the Java test chooses; peers
// are named by JID, so Baileys' own JID-to-address mapping is exercised too. Keys travel as hex, without the 0x05
// type byte unless the field says otherwise.
import * as B from 'baileys';
import { makeLibSignalRepository } from 'baileys/lib/Signal/libsignal.js';
import { hex, unhex, memoryKeys as plainKeys, silentLogger } from './common.mjs';

// libsignal's repository runs its writes in a key-store transaction; the in-memory store runs them at once
const memoryKeys = () => ({ ...plainKeys(), transaction: async (work) => work() });

// libsignal-node reports session changes with console.info/warn, which would land on stdout, the answer channel
console.info = () => {};
console.warn = () => {};
console.log = () => {};

const signalKey = (publicKey) => Buffer.concat([Buffer.from([5]), unhex(publicKey)]);


const parties = new Map();

const party = (name) => {
    const found = parties.get(name);
    if (!found) {
        throw new Error('no Signal party ' + name);
    }
    return found;
};

// A fresh party (replacing one of the same name: a reinstall with a new identity) and its public bundle.
const signalParty = async ({ party: name, preKeyCount }) => {
    const creds = B.initAuthCreds();
    const keys = memoryKeys();
    const preKeys = [];
    for (let id = 1; id <= (preKeyCount ?? 0); id++) {
        const keyPair = B.Curve.generateKeyPair();
        await keys.set({ 'pre-key': { [id]: keyPair } });
        preKeys.push({ id, key: hex(keyPair.public) });
    }
    const repository = makeLibSignalRepository({ creds, keys }, silentLogger);
    parties.set(name, { creds, keys, repository });
    return {
        registrationId: creds.registrationId,
        identity: hex(creds.signedIdentityKey.public),
        signedPreKeyId: creds.signedPreKey.keyId,
        signedPreKey: hex(creds.signedPreKey.keyPair.public),
        signature: hex(creds.signedPreKey.signature),
        preKeys
    };
};

// X3DH from a bundle, exactly as Baileys does after fetching one from the server (injectE2ESession).
const signalInject = async ({ party: name, jid, bundle }) => {
    const session = {
        registrationId: bundle.registrationId,
        identityKey: signalKey(bundle.identity),
        signedPreKey: {
            keyId: bundle.signedPreKeyId,
            publicKey: signalKey(bundle.signedPreKey),
            signature: unhex(bundle.signature)
        }
    };
    if (bundle.preKeyId !== undefined && bundle.preKeyId !== null) {
        session.preKey = { keyId: bundle.preKeyId, publicKey: signalKey(bundle.preKey) };
    }
    await party(name).repository.injectE2ESession({ jid, session });
    return {};
};

const signalEncrypt = async ({ party: name, jid, plaintext }) => {
    const { type, ciphertext } = await party(name).repository.encryptMessage({ jid, data: unhex(plaintext) });
    return { type, body: hex(ciphertext) };
};

const signalDecrypt = async ({ party: name, jid, type, body }) => {
    const plaintext = await party(name).repository.decryptMessage({ jid, type, ciphertext: unhex(body) });
    return { plaintext: hex(plaintext) };
};

// Our sender key for a group: the skmsg and the SKDM Baileys would fan out with it.
const groupEncrypt = async ({ party: name, group, me, plaintext }) => {
    const { ciphertext, senderKeyDistributionMessage } =
        await party(name).repository.encryptGroupMessage({ group, meId: me, data: unhex(plaintext) });
    return { body: hex(ciphertext), skdm: hex(senderKeyDistributionMessage) };
};

const groupProcess = async ({ party: name, group, author, skdm }) => {
    await party(name).repository.processSenderKeyDistributionMessage({
        item: { groupId: group, axolotlSenderKeyDistributionMessage: unhex(skdm) },
        authorJid: author
    });
    return {};
};

const groupDecrypt = async ({ party: name, group, author, body }) => {
    const plaintext = await party(name).repository.decryptGroupMessage({ group, authorJid: author, msg: unhex(body) });
    return { plaintext: hex(plaintext) };
};

// The Signal address Baileys derives from a JID, to check ours against.
const signalAddress = ({ jid }) => ({ address: makeLibSignalRepository(
    { creds: B.initAuthCreds(), keys: memoryKeys() }, silentLogger).jidToSignalProtocolAddress(jid) });

export const signalOperations = {
    signalParty, signalInject, signalEncrypt, signalDecrypt, groupEncrypt, groupProcess, groupDecrypt, signalAddress
};
