// Runs Baileys beside Ponte's Java wire client. One JSON request per stdin line, one JSON answer per stdout
// line, in order: {"op": ..., ...} -> {"ok": true, ...} or {"ok": false, "error": "..."}.
// Bytes travel as hex. Nodes travel as {tag, attrs: [[key, value], ...], content} where content is null,
// {text}, {hex} or {children: [...]}, so that attribute order survives JSON.
import readline from 'node:readline';
import * as B from 'baileys';
import { pairingOperations, sessionSocket } from './pairing.mjs';
import { signalOperations } from './signal.mjs';
import { benchOperations } from './bench.mjs';
import { appStateOperations } from './appstate.mjs';
import { mediaOperations } from './media.mjs';
import { hex, unhex, silentLogger } from './common.mjs';


const toBaileysNode = ({ tag, attrs, content }) => {
    const node = { tag, attrs: {} };
    for (const [key, value] of attrs) {
        node.attrs[key] = value;
    }
    if (content === null) {
        node.content = undefined;
    } else if ('text' in content) {
        node.content = content.text;
    } else if ('hex' in content) {
        node.content = unhex(content.hex);
    } else {
        node.content = content.children.map(toBaileysNode);
    }
    return node;
};

const fromBaileysNode = ({ tag, attrs, content }) => ({
    tag,
    attrs: Object.entries(attrs),
    content: content === undefined ? null
        : typeof content === 'string' ? { text: content }
        : Array.isArray(content) ? { children: content.map(fromBaileysNode) }
        : { hex: hex(content) }
});

// Drives Baileys' client-side Noise handler exactly as its socket.ts validateConnection does, with fixed keys.
const noiseClient = async (request) => {
    B.WA_CERT_DETAILS.PUBLIC_KEY = unhex(request.rootPublicKey);
    const noise = B.makeNoiseHandler({
        keyPair: { private: unhex(request.ephemeralPrivate), public: unhex(request.ephemeralPublic) },
        NOISE_HEADER: B.NOISE_WA_HEADER,
        logger: silentLogger
    });
    const hello = B.proto.HandshakeMessage.encode({ clientHello: { ephemeral: unhex(request.ephemeralPublic) } }).finish();
    const firstBytes = noise.encodeFrame(hello);
    const handshake = B.proto.HandshakeMessage.decode(unhex(request.serverHello));
    const sealedStatic = noise.processHandshake(handshake,
        { private: unhex(request.noisePrivate), public: unhex(request.noisePublic) });
    const sealedPayload = noise.encrypt(unhex(request.payload));
    await noise.finishInit();
    const sealedFrames = request.transportFrames.map((frame) => hex(noise.encodeFrame(unhex(frame))));
    const received = [];
    for (const frame of request.serverFrames) {
        await noise.decodeFrame(unhex(frame), (node) => received.push(fromBaileysNode(node)));
    }
    return { firstBytes: hex(firstBytes), sealedStatic: hex(sealedStatic), sealedPayload: hex(sealedPayload),
        sealedFrames, received };
};

// An unmodified Baileys client, trusting the given root, connects and reports the first QR it is shown.
const showQr = (request) => new Promise((resolve) => {
    B.WA_CERT_DETAILS.PUBLIC_KEY = unhex(request.rootPublicKey);
    const sock = B.makeWASocket({
        waWebSocketUrl: request.wsUrl,
        auth: { creds: B.initAuthCreds(), keys: { get: async () => ({}), set: async () => {} } },
        logger: silentLogger,
        printQRInTerminal: false,
        fireInitQueries: false,
        markOnlineOnConnect: false,
        connectTimeoutMs: request.timeoutMs
    });
    const timer = setTimeout(() => {
        sock.end(undefined);
        resolve({ qr: null, error: 'no QR within ' + request.timeoutMs + ' ms' });
    }, request.timeoutMs);
    sock.ev.on('connection.update', (update) => {
        if (update.qr) {
            clearTimeout(timer);
            sock.end(undefined);
            resolve({ qr: update.qr });
        } else if (update.connection === 'close') {
            clearTimeout(timer);
            resolve({ qr: null, error: String(update.lastDisconnect?.error?.message ?? 'closed') });
        }
    });
});

const operations = {
    encode: ({ node }) => ({ hex: hex(B.encodeBinaryNode(toBaileysNode(node))) }),
    decode: async ({ hex: bytes }) => ({ node: fromBaileysNode(await B.decodeBinaryNode(unhex(bytes))) }),
    hkdf: ({ ikm, salt, info, length }) =>
        ({ hex: hex(B.hkdf(unhex(ikm), length, { salt: unhex(salt), info: Buffer.from(info, 'utf8').toString() })) }),
    gcm: ({ key, iv, plaintext, aad }) => ({ hex: hex(B.aesEncryptGCM(unhex(plaintext), unhex(key), unhex(iv), unhex(aad))) }),
    noiseClient,
    // Sends a raw node through a running Baileys session and returns the server's answer with the same id
    // (an iq result or error, or the ack of a message), so tests can hand the sandbox what Baileys never would.
    baileysQuery: async ({ id, node, timeoutMs }) =>
        ({ node: fromBaileysNode(await sessionSocket(id).query(toBaileysNode(node), timeoutMs)) }),
    showQr,
    ...pairingOperations,
    ...signalOperations,
    ...benchOperations,
    ...appStateOperations,
    ...mediaOperations
};

const lines = readline.createInterface({ input: process.stdin });
for await (const line of lines) {
    let answer;
    try {
        const request = JSON.parse(line);
        answer = { ok: true, ...(await operations[request.op](request)) };
    } catch (error) {
        answer = { ok: false, error: String(error?.stack ?? error) };
    }
    process.stdout.write(JSON.stringify(answer) + '\n');
}
