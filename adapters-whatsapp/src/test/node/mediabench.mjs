// Baileys' own media path against the sandbox's media host, for the media benchmark: encryptedStream +
// getWAUploadToServer up, downloadContentFromMessage down. Run with NODE_EXTRA_CA_CERTS naming the sandbox root's
// certificate, so Node trusts the host as Ponte's client does (through the root, verification on).
// argv: hostname auth plainPath outPath mediaType. Prints one JSON line.
import fs from 'node:fs';
import { once } from 'node:events';
import * as B from 'baileys';
import { silentLogger } from './common.mjs';

const [hostname, auth, plainPath, outPath, mediaType] = process.argv.slice(2);
let peakHeap = 0;
let peakRss = 0;
const sampler = setInterval(() => {
    const usage = process.memoryUsage();
    peakHeap = Math.max(peakHeap, usage.heapUsed + usage.arrayBuffers);
    peakRss = Math.max(peakRss, usage.rss);
}, 5);
const baseline = process.memoryUsage();

const upStart = process.hrtime.bigint();
const sealed = await B.encryptedStream({ url: plainPath }, mediaType);
const upload = B.getWAUploadToServer({ customUploadHosts: [], logger: silentLogger },
    async () => ({ auth, hosts: [{ hostname, maxContentLengthBytes: 1e10 }], ttl: 300, fetchDate: new Date() }));
const uploaded = await upload(sealed.encFilePath, { mediaType,
    fileEncSha256B64: sealed.fileEncSha256.toString('base64'), timeoutMs: 120000 });
const upMs = Number(process.hrtime.bigint() - upStart) / 1e6;
await fs.promises.unlink(sealed.encFilePath);

const downStart = process.hrtime.bigint();
const stream = await B.downloadContentFromMessage({ mediaKey: sealed.mediaKey, directPath: uploaded.directPath },
    mediaType, { host: hostname });
const sink = fs.createWriteStream(outPath);
for await (const chunk of stream) {
    if (!sink.write(chunk)) {
        await once(sink, 'drain');
    }
}
sink.end();
await once(sink, 'finish');
const downMs = Number(process.hrtime.bigint() - downStart) / 1e6;
clearInterval(sampler);
process.stdout.write(JSON.stringify({ upMs, downMs, directPath: uploaded.directPath,
    peakHeapAboveBaseline: peakHeap - (baseline.heapUsed + baseline.arrayBuffers), peakRss,
    baselineRss: baseline.rss }) + '\n');
process.exit(0);
