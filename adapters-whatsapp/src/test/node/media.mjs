// Baileys' media helpers as the oracle of Ponte's media package: its encryptedStream seals a file exactly as it
// uploads one, and its downloadEncryptedContent opens a body exactly as it downloads one (served here from a
// loopback HTTP server, since it only reads URLs).
import http from 'node:http';
import https from 'node:https';
import tls from 'node:tls';
import fs from 'node:fs';
import { once } from 'node:events';
import * as B from 'baileys';
import { hex, unhex } from './common.mjs';
import { sessionSocket } from './pairing.mjs';

const mediaMessages = new Map();
const watched = new Set();
const mediaKinds = ['imageMessage', 'videoMessage', 'audioMessage', 'documentMessage', 'stickerMessage'];

const serveOnce = async (path) => {
    const server = http.createServer((request, response) => {
        response.writeHead(200, { 'content-type': 'application/octet-stream' });
        fs.createReadStream(path).pipe(response);
    });
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    return server;
};

// Node's https (Baileys' upload path) trusts the sandbox's media host through its root certificate, on top of the
// usual roots: verification stays on. Every sandbox root this process was given stays trusted (one process serves
// many tests' sandboxes, and the global agent's options override a request's own).
const sandboxRoots = new Set();
const trustSandbox = (caPem) => {
    sandboxRoots.add(caPem);
    https.globalAgent.options.ca = [...tls.rootCertificates, ...sandboxRoots];
};

// GETs a body over https with the sandbox root trusted, into a file (an agent of its own: the global one's
// options would replace this request's roots).
const fetchBody = (url, caPem, out) => new Promise((resolve, reject) => {
    https.get(url, { ca: [...tls.rootCertificates, caPem], agent: false }, (response) => {
        if (response.statusCode !== 200) {
            response.resume();
            reject(new Error('media host answered ' + response.statusCode));
            return;
        }
        const sink = fs.createWriteStream(out);
        response.pipe(sink);
        sink.on('finish', resolve);
        sink.on('error', reject);
    }).on('error', reject);
});

export const mediaOperations = {
    // Baileys' sendMessage with a file: its own media_conn, encryptedStream and upload to the sandbox's media host.
    // `fields` are the message's other fields as sendMessage takes them (gifPlayback, ptt, seconds, isAnimated,
    // width, height...); `thumbnail` is a JPEG thumbnail in hex. Without one, an image or video goes with an empty
    // thumbnail: the optional image libraries Baileys would make one with are not installed.
    baileysSendMedia: async ({ id, to, kind, path, mimetype, caption, fileName, caPem, fields, thumbnail }) => {
        trustSandbox(caPem);
        const content = { [kind]: { url: path }, mimetype, ...(fields ?? {}) };
        if (caption) content.caption = caption;
        if (fileName) content.fileName = fileName;
        if (thumbnail) content.jpegThumbnail = unhex(thumbnail);
        else if (kind === 'image' || kind === 'video') content.jpegThumbnail = '';
        const sent = await sessionSocket(id).sendMessage(to, content);
        return { messageId: sent.key.id };
    },
    // baileysSendMedia timed for the benchmark: wall time of sendMessage (media_conn, encryptedStream, upload, the
    // message stanza written) and Node's heapUsed + arrayBuffers above its level before, sampled every 5 ms
    baileysSendMediaTimed: async (request) => {
        const used = () => { const m = process.memoryUsage(); return m.heapUsed + m.arrayBuffers; };
        const baseline = used();
        let peak = baseline;
        const sampler = setInterval(() => { peak = Math.max(peak, used()); }, 5);
        const start = process.hrtime.bigint();
        try {
            const { messageId } = await mediaOperations.baileysSendMedia(request);
            const ms = Number(process.hrtime.bigint() - start) / 1e6;
            peak = Math.max(peak, used());
            return { messageId, ms, peakHeapAboveBaseline: peak - baseline };
        } finally {
            clearInterval(sampler);
        }
    },
    // Keeps every media message the session receives from now on, as Baileys decoded it.
    baileysWatchMedia: ({ id }) => {
        if (!watched.has(id)) {
            watched.add(id);
            sessionSocket(id).ev.on('messages.upsert', ({ messages }) => {
                for (const message of messages) {
                    const kind = mediaKinds.find((k) => message.message?.[k]);
                    if (kind) mediaMessages.set(message.key.id, { kind, media: message.message[kind] });
                }
            });
        }
        return {};
    },
    // The file of a media message Baileys received: the body fetched from the host (root trusted), then opened by
    // Baileys' downloadEncryptedContent with the keys of the message as Baileys decoded it; the plaintext to `out`.
    // `host` is optional: without it the body comes from the message's own url.
    baileysReceivedMedia: async ({ messageId, caPem, host, out, timeoutMs }) => {
        const deadline = Date.now() + timeoutMs;
        while (!mediaMessages.has(messageId) && Date.now() < deadline) {
            await new Promise((resolve) => setTimeout(resolve, 50));
        }
        const found = mediaMessages.get(messageId);
        if (!found) throw new Error('no media message ' + messageId);
        const { kind, media } = found;
        const body = out + '.enc';
        // from the host named (the sandbox's current one), else from the URL the sender put in the message
        await fetchBody(host ? 'https://' + host + media.directPath : media.url, caPem, body);
        const type = kind.replace('Message', '');
        await mediaOperations.mediaDecrypt({ path: body, mediaType: type, mediaKey: hex(media.mediaKey), out });
        await fs.promises.unlink(body);
        return { kind, mimetype: media.mimetype ?? null, caption: media.caption ?? null,
            fileName: media.fileName ?? null, fileLength: Number(media.fileLength ?? 0),
            fileSha256: hex(media.fileSha256), ptt: Boolean(media.ptt), seconds: media.seconds ?? null,
            gifPlayback: Boolean(media.gifPlayback), isAnimated: Boolean(media.isAnimated),
            width: media.width ?? null, height: media.height ?? null,
            jpegThumbnail: media.jpegThumbnail?.length ? hex(media.jpegThumbnail) : null };
    },
    // seals the file at `path` as Baileys does before an upload; the encrypted body is written to `out`
    mediaEncrypt: async ({ path, mediaType, out }) => {
        const sealed = await B.encryptedStream({ url: path }, mediaType);
        await fs.promises.rename(sealed.encFilePath, out).catch(async () => {
            await fs.promises.copyFile(sealed.encFilePath, out);
            await fs.promises.unlink(sealed.encFilePath);
        });
        return { mediaKey: hex(sealed.mediaKey), fileSha256: hex(sealed.fileSha256),
            fileEncSha256: hex(sealed.fileEncSha256), fileLength: sealed.fileLength, mac: hex(sealed.mac) };
    },
    // opens the body at `path` with Baileys' download path; the plaintext is written to `out`
    mediaDecrypt: async ({ path, mediaType, mediaKey, out }) => {
        const server = await serveOnce(path);
        try {
            const keys = await B.getMediaKeys(unhex(mediaKey), mediaType);
            const url = `http://127.0.0.1:${server.address().port}/body`;
            const stream = await B.downloadEncryptedContent(url, keys);
            const sink = fs.createWriteStream(out);
            for await (const chunk of stream) {
                if (!sink.write(chunk)) {
                    await once(sink, 'drain');
                }
            }
            sink.end();
            await once(sink, 'finish');
            return {};
        } finally {
            server.close();
        }
    },
    mediaKeys: async ({ mediaKey, mediaType }) => {
        const keys = await B.getMediaKeys(unhex(mediaKey), mediaType);
        return { iv: hex(keys.iv), cipherKey: hex(keys.cipherKey), macKey: hex(keys.macKey) };
    },
    // Baileys' media-retry request for a message and the retry data it decrypts from a notification
    mediaRetryRequest: ({ id, remoteJid, fromMe, participant, mediaKey, meId }) => {
        const node = B.encryptMediaRetryRequest({ id, remoteJid, fromMe, participant }, unhex(mediaKey), meId);
        const encrypt = node.content[0].content;
        return { encP: hex(encrypt[0].content), encIv: hex(encrypt[1].content), to: node.attrs.to,
            rmr: node.content[1].attrs };
    },
    mediaRetryDecrypt: ({ ciphertext, iv, mediaKey, id }) => {
        const notification = B.decryptMediaRetryData({ ciphertext: unhex(ciphertext), iv: unhex(iv) },
            unhex(mediaKey), id);
        return { stanzaId: notification.stanzaId, directPath: notification.directPath ?? null,
            result: notification.result ?? 0 };
    }
};
