// Baileys' media helpers as the oracle of Ponte's media package: its encryptedStream seals a file exactly as it
// uploads one, and its downloadEncryptedContent opens a body exactly as it downloads one (served here from a
// loopback HTTP server, since it only reads URLs).
import http from 'node:http';
import fs from 'node:fs';
import { once } from 'node:events';
import * as B from 'baileys';
import { hex, unhex } from './common.mjs';

const serveOnce = async (path) => {
    const server = http.createServer((request, response) => {
        response.writeHead(200, { 'content-type': 'application/octet-stream' });
        fs.createReadStream(path).pipe(response);
    });
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    return server;
};

export const mediaOperations = {
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
