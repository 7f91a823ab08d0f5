// The messaging benchmark's Baileys side: a linked Baileys session sends texts one after another, and each send's
// start is reported in wall-clock milliseconds (fractional), which the Java side compares with the time the
// recipient sandbox phone decrypted it.
import { sessionSocket } from './pairing.mjs';

const nowMs = () => performance.timeOrigin + performance.now();

export const benchOperations = {
    // `count` texts "<prefix> message <i>" to `to`, each sendMessage awaited (it resolves once the stanza is
    // written, without waiting for the server's ack).
    baileysSendMany: async ({ id, to, count, prefix }) => {
        const sock = sessionSocket(id);
        const sent = [];
        for (let i = 0; i < count; i++) {
            const text = prefix + ' message ' + i;
            const at = nowMs();
            const message = await sock.sendMessage(to, { text });
            sent.push({ messageId: message.key.id, text, at, returnedAt: nowMs() });
        }
        return { sent };
    }
};
