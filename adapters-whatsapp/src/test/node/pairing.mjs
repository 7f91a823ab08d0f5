// Baileys as the pairing oracle: known-answer functions of its companion registration, and whole Baileys clients
// that pair with the sandbox by QR or by code and log in again with their stored credentials. Sessions live here,
// keyed by an id the Java test chooses, so a test can drive the sandbox between two steps.
import * as B from 'baileys';
import curve from 'libsignal/src/curve.js';
import { hex, unhex, memoryKeys, silentLogger } from './common.mjs';


const sessions = new Map();

// The socket of a running Baileys session, for operations that send raw nodes through it.
export const sessionSocket = (id) => sessions.get(id).sock;

// libsignal takes public keys in their serialised form, with the type byte 5 in front
const signalKey = (publicKey) => Buffer.concat([Buffer.from([5]), Buffer.from(publicKey)]);


// Baileys' own account-signature check is ineffective (its Curve.verify), so the oracle checks with libsignal's.
const checkAccountSignature = (session, stanza) => {
    const pairSuccess = B.getBinaryNodeChild(stanza, 'pair-success');
    const container = B.proto.ADVSignedDeviceIdentityHMAC.decode(B.getBinaryNodeChild(pairSuccess, 'device-identity').content);
    const account = B.proto.ADVSignedDeviceIdentity.decode(container.details);
    const device = B.proto.ADVDeviceIdentity.decode(account.details);
    const prefix = Buffer.from(device.deviceType === B.proto.ADVEncryptionType.HOSTED ? [6, 5] : [6, 0]);
    const message = Buffer.concat([prefix, account.details, session.state.creds.signedIdentityKey.public]);
    const tampered = Buffer.from(message);
    tampered[tampered.length - 1] ^= 1;
    const key = signalKey(account.accountSignatureKey);
    session.accountSignatureValid = curve.verifySignature(key, message, account.accountSignature);
    session.tamperedAccepted = curve.verifySignature(key, tampered, account.accountSignature);
};

const connect = (session) => {
    B.WA_CERT_DETAILS.PUBLIC_KEY = session.root;
    session.opened = false;
    const sock = B.makeWASocket({
        waWebSocketUrl: session.wsUrl,
        auth: session.state,
        logger: silentLogger,
        printQRInTerminal: false,
        fireInitQueries: false,
        markOnlineOnConnect: false,
        browser: ['Linux', 'Chrome', '1.0'],
        connectTimeoutMs: 10000,
        // what a retry receipt asks Baileys to send again: the messages this session sent
        getMessage: async (key) => session.sent.get(key.id)
    });
    session.sock = sock;
    sock.ws.on('CB:iq,,pair-success', (stanza) => checkAccountSignature(session, stanza));
    sock.ev.on('creds.update', (update) => Object.assign(session.state.creds, update));
    // what the messaging oracle reads: every upserted message, decrypted or not, and every receipt or status
    sock.ev.on('messages.upsert', ({ messages, type }) => {
        for (const message of messages) {
            session.messages.push({
                id: message.key.id,
                remoteJid: message.key.remoteJid,
                remoteJidAlt: message.key.remoteJidAlt ?? null,
                participant: message.key.participant ?? null,
                participantAlt: message.key.participantAlt ?? null,
                fromMe: Boolean(message.key.fromMe),
                pushName: message.pushName ?? null,
                text: message.message?.conversation ?? message.message?.extendedTextMessage?.text ?? null,
                quotedId: message.message?.extendedTextMessage?.contextInfo?.stanzaId ?? null,
                quotedParticipant: message.message?.extendedTextMessage?.contextInfo?.participant ?? null,
                quotedText: message.message?.extendedTextMessage?.contextInfo?.quotedMessage?.conversation ?? null,
                mentions: message.message?.extendedTextMessage?.contextInfo?.mentionedJid ?? [],
                stub: message.messageStubParameters ?? null,
                content: message.message ? JSON.parse(JSON.stringify(message.message)) : null,
                upsertType: type
            });
        }
        session.changed();
    });
    // what the calls and presence oracle reads: every presence or chat state heard, every call signal
    sock.ev.on('presence.update', ({ id, presences }) => {
        for (const [participant, presence] of Object.entries(presences)) {
            session.presences.push({ chat: id, participant, presence: presence.lastKnownPresence,
                lastSeen: presence.lastSeen ?? null });
        }
        session.changed();
    });
    sock.ev.on('call', (calls) => {
        for (const call of calls) {
            session.calls.push({ id: call.id, from: call.from, chatId: call.chatId, status: call.status,
                isVideo: Boolean(call.isVideo) });
        }
        session.changed();
    });
    sock.ev.on('message-receipt.update', (updates) => {
        for (const { key, receipt } of updates) {
            session.receipts.push({ id: key.id, remoteJid: key.remoteJid, userJid: receipt.userJid,
                delivered: Boolean(receipt.receiptTimestamp), read: Boolean(receipt.readTimestamp) });
        }
        session.changed();
    });
    sock.ev.on('messages.update', (updates) => {
        for (const { key, update } of updates) {
            if (update.status !== undefined) {
                session.receipts.push({ id: key.id, remoteJid: key.remoteJid, status: update.status });
            }
        }
        session.changed();
    });
    sock.ev.on('connection.update', (update) => {
        if (update.qr) {
            session.qrs.push(update.qr);
        }
        if (update.connection === 'open') {
            session.opened = true;
        }
        if (update.connection === 'close') {
            const code = update.lastDisconnect?.error?.output?.statusCode;
            session.closes.push(code);
            // after pair-success the server asks for a restart; Baileys' users reconnect with the same state
            if (code === B.DisconnectReason.restartRequired && !session.ending && session.sock === sock) {
                connect(session);
            }
        }
        session.changed();
    });
};

const waitFor = (session, condition, timeoutMs, what) => new Promise((resolve, reject) => {
    const deadline = setTimeout(() => {
        session.changed = () => {};
        reject(new Error('no ' + what + ' within ' + timeoutMs + ' ms; closes: ' + JSON.stringify(session.closes)));
    }, timeoutMs);
    session.changed = () => {
        if (condition()) {
            clearTimeout(deadline);
            session.changed = () => {};
            resolve();
        }
    };
    session.changed();
});

const summary = (session) => ({
    me: session.state.creds.me ?? null,
    registered: Boolean(session.state.creds.registered),
    platform: session.state.creds.platform ?? null,
    accountSignatureValid: session.accountSignatureValid ?? null,
    tamperedAccepted: session.tamperedAccepted ?? null,
    qrCount: session.qrs.length
});

export const pairingOperations = {
    pairingCodeKey: async ({ code, salt }) => ({ hex: hex(await B.derivePairingCodeKey(code, unhex(salt))) }),
    crockford: ({ hex: bytes }) => ({ text: B.bytesToCrockford(unhex(bytes)) }),
    pairingQrData: ({ ref, noise, identity, adv, browser }) => ({
        text: B.buildPairingQRData(ref, unhex(noise).toString('base64'), unhex(identity).toString('base64'),
            unhex(adv).toString('base64'), browser)
    }),
    libsignalVerify: ({ publicKey, message, signature }) =>
        ({ valid: curve.verifySignature(signalKey(unhex(publicKey)), unhex(message), unhex(signature)) }),

    // A fresh Baileys client connects and reports its first QR text.
    baileysStart: async ({ id, wsUrl, rootPublicKey, timeoutMs }) => {
        const session = { wsUrl, root: unhex(rootPublicKey), qrs: [], closes: [], changed: () => {},
            messages: [], receipts: [], sent: new Map(), presences: [], calls: [],
            state: { creds: B.initAuthCreds(), keys: memoryKeys() } };
        sessions.set(id, session);
        connect(session);
        await waitFor(session, () => session.qrs.length > 0, timeoutMs, 'QR');
        return { qr: session.qrs[0] };
    },
    baileysRequestCode: async ({ id, phone }) => ({ code: await sessions.get(id).sock.requestPairingCode(phone) }),
    baileysAwaitOpen: async ({ id, timeoutMs }) => {
        const session = sessions.get(id);
        await waitFor(session, () => session.opened, timeoutMs, 'open connection');
        return summary(session);
    },
    // Ends the socket and connects again with the stored credentials, to the same or another sandbox URL.
    baileysReconnect: async ({ id, wsUrl, timeoutMs }) => {
        const session = sessions.get(id);
        session.ending = true;
        session.sock.end(undefined);
        session.ending = false;
        session.wsUrl = wsUrl ?? session.wsUrl;
        const qrsBefore = session.qrs.length;
        connect(session);
        await waitFor(session, () => session.opened, timeoutMs, 'open connection after reconnecting');
        return { ...summary(session), newQrs: session.qrs.length - qrsBefore };
    },
    // Baileys sends a text through its own relayMessage (usync, prekey fetch, encrypt per device).
    baileysSendText: async ({ id, to, text }) => {
        const session = sessions.get(id);
        const sent = await session.sock.sendMessage(to, { text });
        session.sent.set(sent.key.id, sent.message);
        return { messageId: sent.key.id };
    },
    // Any message as Baileys' own sendMessage builds it (location, contacts, react, poll, edit, delete, ...).
    baileysSend: async ({ id, to, content }) => {
        const session = sessions.get(id);
        const sent = await session.sock.sendMessage(to, content);
        session.sent.set(sent.key.id, sent.message);
        return { messageId: sent.key.id, message: JSON.parse(JSON.stringify(sent.message)) };
    },
    // A vote on a poll, sealed here with Node's own crypto (not the gateway's code): the key is HKDF-SHA256 of the
    // poll's secret over pollId | creator | voter | "Poll Vote", the payload a PollVoteMessage under AES-256-GCM
    // with aad pollId 0x00 voter; then relayed as a pollUpdateMessage.
    baileysVote: async ({ id, to, pollId, creator, voter, secret, options }) => {
        const session = sessions.get(id);
        const crypto = await import('node:crypto');
        const info = Buffer.concat([Buffer.from(pollId), Buffer.from(creator), Buffer.from(voter),
            Buffer.from('Poll Vote')]);
        const key = Buffer.from(crypto.hkdfSync('sha256', Buffer.from(secret, 'base64'), Buffer.alloc(0), info, 32));
        const plaintext = B.proto.Message.PollVoteMessage.encode({
            selectedOptions: options.map((o) => crypto.createHash('sha256').update(Buffer.from(o)).digest())
        }).finish();
        const iv = crypto.randomBytes(12);
        const cipher = crypto.createCipheriv('aes-256-gcm', key, iv);
        cipher.setAAD(Buffer.from(pollId + '\u0000' + voter));
        const payload = Buffer.concat([cipher.update(plaintext), cipher.final(), cipher.getAuthTag()]);
        const message = { pollUpdateMessage: {
            pollCreationMessageKey: { remoteJid: to, fromMe: false, id: pollId },
            vote: { encPayload: payload, encIv: iv },
            senderTimestampMs: Date.now()
        } };
        const sent = await session.sock.relayMessage(to, message, {});
        return { messageId: sent };
    },
    // Waits until Baileys has upserted at least `count` messages it did not send itself, and returns them all.
    baileysMessages: async ({ id, count, timeoutMs }) => {
        const session = sessions.get(id);
        const incoming = () => session.messages.filter((m) => !m.fromMe);
        await waitFor(session, () => incoming().length >= count, timeoutMs, count + ' incoming messages');
        return { messages: incoming() };
    },
    // Waits until Baileys saw a receipt or status update for message `messageId` that satisfies `kind`.
    baileysAwaitReceipt: async ({ id, messageId, kind, timeoutMs }) => {
        const session = sessions.get(id);
        const seen = () => session.receipts.filter((r) => r.id === messageId && (kind === 'read'
            ? (r.read || r.status >= 4) : (r.delivered || r.status >= 3)));
        await waitFor(session, () => seen().length > 0, timeoutMs, kind + ' receipt for ' + messageId);
        return { receipts: session.receipts.filter((r) => r.id === messageId) };
    },
    // Baileys' own group metadata query (w:g2 <query request=interactive/>), as it parses the answer.
    baileysGroupMetadata: async ({ id, jid }) => {
        const metadata = await sessions.get(id).sock.groupMetadata(jid);
        return { id: metadata.id, subject: metadata.subject, addressingMode: metadata.addressingMode,
            owner: metadata.owner ?? null, participants: metadata.participants };
    },
    // Baileys' own group changes (w:g2 IQs as groups.ts builds them): join by invite code, rename, leave.
    baileysGroupJoin: async ({ id, code }) => ({ jid: await sessions.get(id).sock.groupAcceptInvite(code) }),
    baileysGroupSubject: async ({ id, jid, subject }) => {
        await sessions.get(id).sock.groupUpdateSubject(jid, subject);
        return {};
    },
    baileysGroupLeave: async ({ id, jid }) => {
        await sessions.get(id).sock.groupLeave(jid);
        return {};
    },
    // Baileys' contact check (a usync query with the contact protocol): which numbers are on WhatsApp.
    baileysOnWhatsApp: async ({ id, numbers }) => ({ results: await sessions.get(id).sock.onWhatsApp(...numbers) }),
    // Baileys' own presence subscription (<presence type=subscribe to>).
    baileysPresenceSubscribe: async ({ id, jid }) => {
        await sessions.get(id).sock.presenceSubscribe(jid);
        return {};
    },
    // Baileys' own sendPresenceUpdate: a chat state to `to` (composing, recording, paused) or its presence.
    baileysSendPresence: async ({ id, presence, to }) => {
        await sessions.get(id).sock.sendPresenceUpdate(presence, to ?? undefined);
        return {};
    },
    // Waits until Baileys emitted a presence.update from `participant` (a user JID) with `presence`.
    baileysAwaitPresence: async ({ id, participant, presence, timeoutMs }) => {
        const session = sessions.get(id);
        const user = (jid) => jid.split('@')[0].split(':')[0];
        const seen = () => session.presences.filter((p) => user(p.participant) === user(participant)
            && p.presence === presence);
        await waitFor(session, () => seen().length > 0, timeoutMs, presence + ' from ' + participant);
        return { presences: seen() };
    },
    // Waits until Baileys emitted a call event for `callId` with `status` (offer, reject, accept, terminate).
    baileysAwaitCall: async ({ id, callId, status, timeoutMs }) => {
        const session = sessions.get(id);
        const seen = () => session.calls.filter((c) => c.id === callId && c.status === status);
        await waitFor(session, () => seen().length > 0, timeoutMs, status + ' of call ' + callId);
        return { calls: seen() };
    },
    // Baileys' own rejectCall: <call from to><reject call-id call-creator count=0/></call>.
    baileysRejectCall: async ({ id, callId, from }) => {
        await sessions.get(id).sock.rejectCall(callId, from);
        return {};
    },
    // Ends the socket without logging out: the device is offline until baileysReconnect.
    baileysDisconnect: ({ id }) => {
        const session = sessions.get(id);
        session.ending = true;
        session.sock.end(undefined);
        return {};
    },
    // Baileys' own logout: it asks the server to remove the device, then closes.
    baileysLogout: async ({ id }) => {
        const session = sessions.get(id);
        session.ending = true;
        await session.sock.logout();
        return {};
    },
    baileysEnd: ({ id }) => {
        const session = sessions.get(id);
        if (session) {
            session.ending = true;
            session.sock.end(undefined);
            sessions.delete(id);
        }
        return {};
    }
};
