package ponte.adapters.whatsapp.engine;

import java.security.SecureRandom;
import java.time.Clock;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;
import ponte.adapters.whatsapp.client.Calls;
import ponte.adapters.whatsapp.client.ClientSettings;
import ponte.adapters.whatsapp.client.Companion;
import ponte.adapters.whatsapp.client.Contacts;
import ponte.adapters.whatsapp.client.OutgoingText;
import ponte.adapters.whatsapp.client.SendFailedException;
import ponte.adapters.whatsapp.client.IqErrorException;
import ponte.application.error.ConflictException;
import ponte.application.model.ContactPresence;
import ponte.application.error.UnavailableException;
import ponte.application.port.in.InboundEventUseCase;
import ponte.application.port.in.InboundMessagesUseCase;
import ponte.application.port.in.SessionEventsUseCase;
import ponte.adapters.whatsapp.client.KeptMessagePurge;
import ponte.adapters.whatsapp.store.DeviceStores;
import ponte.domain.instance.DisconnectReason;
import ponte.domain.message.Jid;
import ponte.domain.message.MessageId;
import ponte.domain.proxy.EffectiveProxy;
import ponte.domain.validation.ValidationException;

/**
 * Runs the instances' WhatsApp sessions on this node: one companion device per instance, each on its own virtual
 * threads, dialled through the effective proxy the application hands over with each start or reconnect.
 */
public final class WhatsAppEngine implements SessionEngine {
    private static final Duration PAIRING_CODE_LIFETIME = Duration.ofMinutes(3);
    private static final Duration LOGOUT_WAIT = Duration.ofSeconds(15);
    /**
     * The companion_hello's IQ error for a number without a WhatsApp account: item-not-found, as the sandbox answers
     * (an assumption; no public source documents WhatsApp's code for it).
     */
    private static final int NOT_ON_WHATSAPP = 404;
    private static final System.Logger LOG = System.getLogger(WhatsAppEngine.class.getName());
    /**
     * How long the device store keeps the keys of handed-on incoming messages (to recognise a redelivery) and the
     * sent messages kept for retry receipts: 30 days, as long as WhatsApp holds an undelivered message for an
     * offline device; purged hourly.
     */
    public static final Duration KEPT_MESSAGE_RETENTION = Duration.ofDays(30);
    private static final Duration PURGE_EVERY = Duration.ofHours(1);

    private final ClientSettings settings;
    private final DeviceStores stores;
    private final Supplier<SessionEventsUseCase> reports;
    private final Supplier<InboundEventUseCase> inbound;
    private final Supplier<InboundMessagesUseCase> messages;
    private final Supplier<ponte.application.port.in.AppStateUseCase> appState;
    private final Clock clock;
    private final SecureRandom random;
    private final Map<UUID, Session> sessions = new ConcurrentHashMap<>();
    private final KeptMessagePurge purge;
    private final GroupOperations groups = new GroupOperations(this::online);
    private final MediaTransfers media = new MediaTransfers(this::online, MediaTransfers.RETRY_WAIT);

    /**
     * {@code reports} (status changes), {@code inbound} (calls and other events instances receive, kept before the
     * ack) and {@code messages} (messages and receipts, kept before the ack) are looked up when first needed: the use
     * cases behind them are built with this engine as their port, so neither can be complete before the other exists.
     */
    public WhatsAppEngine(ClientSettings settings, DeviceStores stores, Supplier<SessionEventsUseCase> reports,
                          Supplier<InboundEventUseCase> inbound, Supplier<InboundMessagesUseCase> messages,
                          Clock clock, SecureRandom random) {
        this(settings, stores, reports, inbound, messages, () -> (instanceId, changes) -> { }, clock, random);
    }

    /**
     * As above, with {@code appState} receiving what app-state sync learnt (contact names, chat settings, labels),
     * kept before the collection's version moves; the shorter form drops it.
     */
    public WhatsAppEngine(ClientSettings settings, DeviceStores stores, Supplier<SessionEventsUseCase> reports,
                          Supplier<InboundEventUseCase> inbound, Supplier<InboundMessagesUseCase> messages,
                          Supplier<ponte.application.port.in.AppStateUseCase> appState, Clock clock,
                          SecureRandom random) {
        this.settings = settings;
        this.stores = stores;
        this.reports = reports;
        this.inbound = inbound;
        this.messages = messages;
        this.appState = appState;
        this.clock = clock;
        this.random = random;
        this.purge = KeptMessagePurge.start(stores.signal(), clock, KEPT_MESSAGE_RETENTION, PURGE_EVERY);
    }

    @Override
    public void start(UUID instanceId, EffectiveProxy proxy) {
        var session = sessions.get(instanceId);
        if (session != null && !session.online()) {
            // waiting to retry (or dialling a proxy that may have changed): dial again now, through this proxy
            restart(instanceId, proxy);
            return;
        }
        running(instanceId, proxy);
    }

    @Override
    public void stop(UUID instanceId) {
        var session = sessions.remove(instanceId);
        if (session != null) {
            session.stopQuietly();
            reports.get().disconnected(instanceId, DisconnectReason.MANUAL);
        }
    }

    @Override
    public void release(UUID instanceId) {
        var session = sessions.remove(instanceId);
        if (session != null) {
            session.stopQuietly();
        }
    }

    /** Unlinking needs a connection to the server: an offline linked device is logged in first, briefly. */
    @Override
    public void logout(UUID instanceId, EffectiveProxy proxy) {
        var session = sessions.computeIfAbsent(instanceId, id -> open(id, false, proxy));
        var device = session.companion();
        if (device.account().isPresent() && !session.online()) {
            device.connect();
            awaitOnline(session);
        }
        sessions.remove(instanceId, session);
        // the server hangs up once it has unlinked the device: that is the expected end, not a drop to report
        session.silence();
        try {
            device.logout().get(LOGOUT_WAIT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException | TimeoutException e) {
            // the credentials are wiped all the same; only the phone's list may still show the device
            LOG.log(System.Logger.Level.WARNING,
                    "instance " + instanceId + ": the server did not confirm the unlink", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            session.stopQuietly();
            reports.get().disconnected(instanceId, DisconnectReason.LOGGED_OUT);
        }
    }

    @Override
    public void discard(UUID instanceId) {
        var session = sessions.remove(instanceId);
        if (session != null) {
            session.stopQuietly();
        }
        stores.devices().delete(instanceId);
    }

    @Override
    public PairingCode requestPairingCode(UUID instanceId, String phoneNumber, Duration wait, EffectiveProxy proxy) {
        var device = running(instanceId, proxy).companion();
        try {
            var code = device.requestPairingCode(phoneNumber).get(wait.toMillis(), TimeUnit.MILLISECONDS);
            // a code is typed into the phone while its registration connection lasts, which ends with the QR codes
            var expires = clock.instant().plus(PAIRING_CODE_LIFETIME);
            var pairingEnds = device.pairingEndsAt().filter(end -> end.isBefore(expires));
            return new PairingCode(code, pairingEnds.orElse(expires));
        } catch (TimeoutException e) {
            throw new UnavailableException("WhatsApp did not answer the pairing-code request within " + wait.toSeconds()
                    + " s; try again");
        } catch (ExecutionException e) {
            if (e.getCause() instanceof IllegalStateException stateProblem) {
                throw new ConflictException(stateProblem.getMessage());
            }
            if (e.getCause() instanceof IqErrorException refused && refused.code() == NOT_ON_WHATSAPP) {
                throw ValidationException.of("phone_number", "is not on WhatsApp");
            }
            // the server's own wording stays in the log: it means nothing to the API's users
            LOG.log(System.Logger.Level.WARNING, "instance " + instanceId + ": pairing-code request failed", e.getCause());
            throw new UnavailableException("WhatsApp did not hand out a pairing code; try again");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new UnavailableException("interrupted while waiting for the pairing code");
        }
    }

    @Override
    public boolean isOnline(UUID instanceId) {
        var session = sessions.get(instanceId);
        return session != null && session.online();
    }

    @Override
    public boolean isRunning(UUID instanceId) {
        return sessions.containsKey(instanceId);
    }

    /**
     * Sends a message of any type, media included once its file is uploaded (built by {@link WireContents}), 1:1 ({@link Companion#sendText(OutgoingText)}) or to a group ({@link
     * Companion#sendGroupText(OutgoingText)}: our sender key to the devices lacking it, one skmsg) through the
     * instance's session on this node: the
     * reply becomes the {@code contextInfo} of an {@code ExtendedTextMessage} (quoted id, author and text) and so do
     * the mentions; no link preview is ever attached, whatever {@code linkPreview} says, because Ponte does not fetch
     * pages to build one. Completes with the server's ack time ({@code t}, whole seconds). Fails with
     * {@link Offline} when the session is not running here or not online, or when the stanza or its ack did not
     * cross (nothing may have gone out; a resend under the same id is the same message to WhatsApp), and with
     * {@link Refused} for a group we are not in, an unknown recipient or an error ack.
     */
    @Override
    public CompletableFuture<Instant> send(UUID instanceId, WireMessage message) {
        Companion device;
        try {
            device = online(instanceId);
        } catch (Offline e) {
            return CompletableFuture.failedFuture(e);
        }
        OutgoingText outgoing;
        try {
            outgoing = WireContents.outgoing(message);
        } catch (IllegalArgumentException e) {
            return CompletableFuture.failedFuture(new Refused(e.getMessage()));
        }
        var sending = message.chat().isGroup() ? device.sendGroupText(outgoing) : device.sendText(outgoing);
        return sending.handle((sent, error) -> {
            if (error == null) {
                return sent.timestamp();
            }
            throw sendFailure(instanceId, message, error instanceof CompletionException ? error.getCause() : error);
        });
    }

    private static RuntimeException sendFailure(UUID instanceId, WireMessage message, Throwable error) {
        return switch (error) {
            case SendFailedException refused -> new Refused(refused.getMessage());
            case IllegalArgumentException malformed -> new Refused(malformed.getMessage());
            case IllegalStateException notLinked -> new Offline("instance " + instanceId + ": " + notLinked.getMessage());
            default -> {
                LOG.log(System.Logger.Level.INFO, "instance " + instanceId + ": message " + message.id()
                        + " did not cross: " + error);
                var offline = new Offline("instance " + instanceId + ": the message did not reach the server");
                offline.initCause(error);
                yield offline;
            }
        };
    }

    /**
     * One usync {@code contact} query for the phone-number JIDs ({@link Companion#lookup}), waiting at most
     * {@code wait}. Fails with {@link Offline} when the session is not online here or the server does not answer
     * in time.
     */
    @Override
    public List<ContactLookup> lookup(UUID instanceId, List<Jid> phoneJids, Duration wait) {
        var device = online(instanceId);
        List<Contacts.Contact> answers;
        try {
            // a LID has no contact query of its own: the server's device list tells whether it is an account
            var phones = device.lookup(phoneJids.stream().filter(jid -> !jid.isLid()).map(Jid::user).toList());
            var lids = device.lookupLids(phoneJids.stream().filter(Jid::isLid).map(Jid::toString).toList());
            var phoneAnswers = phones.get(wait.toMillis(), TimeUnit.MILLISECONDS).iterator();
            var lidAnswers = lids.get(wait.toMillis(), TimeUnit.MILLISECONDS).iterator();
            answers = phoneJids.stream().map(jid -> jid.isLid() ? lidAnswers.next() : phoneAnswers.next()).toList();
        } catch (TimeoutException e) {
            throw new Offline("instance " + instanceId + ": WhatsApp did not answer the contact query within "
                    + wait.toSeconds() + " s");
        } catch (ExecutionException e) {
            LOG.log(System.Logger.Level.INFO, "instance " + instanceId + ": contact query failed: " + e.getCause());
            throw new Offline("instance " + instanceId + ": WhatsApp did not answer the contact query");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new Offline("interrupted while waiting for the contact query");
        }
        List<ContactLookup> result = new ArrayList<>();
        for (int i = 0; i < phoneJids.size(); i++) {
            var answer = answers.get(i);
            result.add(new ContactLookup(phoneJids.get(i), answer.exists(), answer.jid().flatMap(WhatsAppEngine::domain),
                    answer.lid().flatMap(WhatsAppEngine::domain)));
        }
        return result;
    }

    /** A read receipt for {@code ids} of {@code chat} ({@link Companion#markRead}); fails with {@link Offline}. */
    @Override
    public void markRead(UUID instanceId, Jid chat, Optional<Jid> participant, List<MessageId> ids) {
        written(instanceId, "the read receipt", device -> {
            device.markRead(chat.toString(), participant.map(Jid::toString).orElse(null),
                    ids.stream().map(MessageId::value).toList());
            return null;
        });
    }

    /**
     * The group's subject and participants from its metadata ({@link Companion#groupInfo}, a {@code w:g2} query
     * cached until a {@code w:gp2} notification), waiting at most {@code wait}; empty when the group does not exist
     * or we are not in it. Fails with {@link Offline} when the session is not online here or the server does not
     * answer in time.
     */
    @Override
    public Optional<GroupMembers> group(UUID instanceId, Jid group, Duration wait) {
        var device = online(instanceId);
        try {
            return device.groupInfo(group.toString()).get(wait.toMillis(), TimeUnit.MILLISECONDS)
                    .map(info -> new GroupMembers(group, info.subject(), info.participants().stream()
                            .flatMap(participant -> Jid.parse(participant.jid()).stream()).toList()));
        } catch (TimeoutException e) {
            throw new Offline("instance " + instanceId + ": WhatsApp did not answer the group query within "
                    + wait.toSeconds() + " s");
        } catch (ExecutionException e) {
            LOG.log(System.Logger.Level.INFO, "instance " + instanceId + ": group query failed: " + e.getCause());
            throw new Offline("instance " + instanceId + ": WhatsApp did not answer the group query");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new Offline("interrupted while waiting for the group query");
        }
    }

    /** The groups the account is in ({@link GroupOperations}, as every group method below). */
    @Override
    public List<ponte.application.model.Group> groups(UUID instanceId, Duration wait) {
        return groups.groups(instanceId, wait);
    }

    @Override
    public Optional<ponte.application.model.Group> metadata(UUID instanceId, Jid group, Duration wait) {
        return groups.metadata(instanceId, group, wait);
    }

    @Override
    public Created create(UUID instanceId, String subject, List<Jid> participants, Duration wait) {
        return groups.create(instanceId, subject, participants, wait);
    }

    @Override
    public void change(UUID instanceId, Jid group, Change change, Duration wait) {
        groups.change(instanceId, group, change, wait);
    }

    @Override
    public List<ParticipantOutcome> participants(UUID instanceId, Jid group, ParticipantAction action,
                                                 List<Jid> participants, Duration wait) {
        return groups.participants(instanceId, group, action, participants, wait);
    }

    @Override
    public String inviteCode(UUID instanceId, Jid group, Duration wait) {
        return groups.inviteCode(instanceId, group, wait);
    }

    @Override
    public Jid join(UUID instanceId, String code, Duration wait) {
        return groups.join(instanceId, code, wait);
    }

    @Override
    public void leave(UUID instanceId, Jid group, Duration wait) {
        groups.leave(instanceId, group, wait);
    }

    /**
     * Rejects a call the instance's device was offered ({@link Companion#rejectCall}); empty for a call it does not
     * know. Fails with {@link Offline} when the session is not online here or the stanza could not be written.
     */
    @Override
    public Optional<KnownCall> reject(UUID instanceId, String callId) {
        return written(instanceId, "the reject", device -> device.rejectCall(callId).map(call -> new KnownCall(
                call.callId(), call.creator(), call.video(), call.state() == Calls.State.RINGING)));
    }

    /** Our own presence with the push name ({@link Companion#announcePresence}); {@link Offline} as above. */
    @Override
    public void announce(UUID instanceId, boolean available) {
        written(instanceId, "the presence", device -> {
            device.announcePresence(available);
            return null;
        });
    }

    /** A chat state to {@code chat} ({@link Companion#sendChatState}); {@link Offline} as above. */
    @Override
    public void chatState(UUID instanceId, Jid chat, String state) {
        written(instanceId, "the chat state", device -> {
            device.sendChatState(chat.toString(), state);
            return null;
        });
    }

    /** A presence subscription ({@link Companion#subscribePresence}); {@link Offline} as above. */
    @Override
    public void subscribe(UUID instanceId, Jid person) {
        written(instanceId, "the subscription", device -> {
            device.subscribePresence(person.toString());
            return null;
        });
    }

    /**
     * What the session on this node heard of {@code person}'s presence, under the JID asked (the caller asks for the
     * other name of the person itself).
     */
    @Override
    public Optional<ContactPresence> presence(UUID instanceId, Jid person) {
        var session = sessions.get(instanceId);
        if (session == null) {
            return Optional.empty();
        }
        var device = session.companion();
        return device.presenceOf(person.toNonDevice().toString())
                .map(seen -> new ContactPresence(seen.state(), seen.lastSeen(), seen.updatedAt()));
    }

    /** Encrypts and uploads a file for a media message ({@link MediaTransfers}); {@link Offline} as above. */
    @Override
    public MediaRef upload(UUID instanceId, MediaKind kind, java.nio.file.Path plaintext, SentFileSource again) {
        return media.upload(instanceId, kind, plaintext, again);
    }

    /** Downloads, checks and decrypts a received file, asking for a re-upload when it is gone ({@link MediaTransfers}). */
    @Override
    public void download(UUID instanceId, MessageKey message, MediaKind kind, MediaRef ref,
                         java.io.OutputStream sink) {
        media.download(instanceId, message, kind, ref, sink);
    }

    /** A stanza the online device writes now; the session missing here, or the write failing, is {@link Offline}. */
    private <T> T written(UUID instanceId, String what, DeviceWrite<T> write) {
        var device = online(instanceId);
        try {
            return write.on(device);
        } catch (IOException e) {
            throw new Offline("instance " + instanceId + ": " + what + " did not go out: " + e.getMessage());
        }
    }

    @FunctionalInterface
    private interface DeviceWrite<T> {
        T on(Companion device) throws IOException;
    }

    private Companion online(UUID instanceId) {
        var session = sessions.get(instanceId);
        if (session == null || !session.online()) {
            throw new Offline("instance " + instanceId + " is not online on this node");
        }
        return session.companion();
    }

    private static Optional<Jid> domain(ponte.adapters.whatsapp.binary.Jid jid) {
        return Jid.parse(jid.toString());
    }

    /** Drops the socket (or the retry loop) and dials again at once, through {@code proxy}. */
    @Override
    public Reconnect reconnect(UUID instanceId, EffectiveProxy proxy) {
        restart(instanceId, proxy);
        return Reconnect.CONNECTED;
    }

    private void restart(UUID instanceId, EffectiveProxy proxy) {
        var session = sessions.remove(instanceId);
        if (session != null) {
            session.stopQuietly();
        }
        running(instanceId, proxy);
    }

    @Override
    public void close() {
        purge.close();
        sessions.values().forEach(Session::stopQuietly);
        sessions.clear();
    }

    private Session running(UUID instanceId, EffectiveProxy proxy) {
        return sessions.computeIfAbsent(instanceId, id -> open(id, true, proxy));
    }

    private Session open(UUID instanceId, boolean connect, EffectiveProxy proxy) {
        var dialing = ProxyDialing.of(proxy);
        var session = new Session(instanceId, reports.get(), inbound.get(), messages.get(), appState.get(), dialing,
                ended -> sessions.remove(instanceId, ended));
        var device = Companion.open(settings.withSocket(settings.socket().withOpener(dialing.opener())
                .withMediaOpener(dialing.mediaOpener())), stores,
                instanceId, new Companion.Listener() {
                    @Override
                    public void onEvent(ponte.adapters.whatsapp.client.CompanionEvent event) {
                        session.onEvent(event);
                    }

                    @Override
                    public void onReceived(ponte.adapters.whatsapp.client.CompanionEvent.Received received) {
                        session.onReceived(received);
                    }
                }, clock, random);
        session.attach(device);
        if (connect) {
            device.connect();
        }
        return session;
    }

    private static void awaitOnline(Session session) {
        long deadline = System.nanoTime() + LOGOUT_WAIT.toNanos();
        while (!session.online() && System.nanoTime() < deadline) {
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }
}
