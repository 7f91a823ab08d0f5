package ponte.adapters.whatsapp.engine;

import java.util.UUID;
import ponte.adapters.whatsapp.binary.Jid;
import ponte.adapters.whatsapp.client.Companion;
import ponte.adapters.whatsapp.client.CompanionEvent;
import ponte.adapters.whatsapp.client.ConnectionState;
import ponte.adapters.whatsapp.client.ConnectionStatus;
import ponte.adapters.whatsapp.client.ReceivedFile;
import ponte.application.port.in.InboundEventUseCase;
import ponte.application.port.in.InboundMessagesUseCase;
import ponte.application.port.in.SessionEventsUseCase;
import ponte.domain.instance.DisconnectReason;
import ponte.domain.instance.LinkedAccount;
import ponte.domain.event.EventType;

/**
 * One instance's running session: its companion device and the translation of what the device reports into the
 * instance's status machine. A dropped connection is reported once, not once per retry, so a dead proxy or network
 * does not flood webhooks with "connecting, disconnected, connecting" while the client backs off.
 */
final class Session {
    private static final System.Logger LOG = System.getLogger(Session.class.getName());

    /** Stream error 515: the server asks for a fresh login, as it always does right after pairing. */
    private static final int RESTART_REQUIRED = 515;

    private final UUID instanceId;
    private final SessionEventsUseCase reports;
    private final InboundEventUseCase inbound;
    private final InboundMessagesUseCase messages;
    private final ponte.application.port.in.AppStateUseCase appState;
    private final ProxyDialing dialing;
    private final java.util.function.Consumer<Session> forget;
    private volatile Companion companion;
    private volatile DisconnectReason downFor;
    private volatile boolean stopping;
    /** A live connection through the proxy dropped; the next dial tells whether the proxy is what died. */
    private volatile boolean dropUnexplained;

    Session(UUID instanceId, SessionEventsUseCase reports, InboundEventUseCase inbound,
            InboundMessagesUseCase messages, ponte.application.port.in.AppStateUseCase appState,
            ProxyDialing dialing, java.util.function.Consumer<Session> forget) {
        this.appState = appState;
        this.instanceId = instanceId;
        this.reports = reports;
        this.inbound = inbound;
        this.messages = messages;
        this.dialing = dialing;
        this.forget = forget;
        dialing.onDial(this::onDial);
    }

    void attach(Companion device) {
        this.companion = device;
    }

    Companion companion() {
        return companion;
    }

    boolean online() {
        return companion != null && companion.status().state() == ConnectionState.CONNECTED;
    }

    /** From now on the session is being taken down on purpose: whatever the device reports is not news. */
    void silence() {
        stopping = true;
    }

    void stopQuietly() {
        silence();
        companion.close();
    }

    void onEvent(CompanionEvent event) {
        if (stopping) {
            return;
        }
        try {
            switch (event) {
                case CompanionEvent.QrCode qr -> {
                    downFor = null;
                    reports.qrShown(instanceId, qr.text(), qr.expiresAt());
                }
                case CompanionEvent.LoggedIn loggedIn -> {
                    downFor = null;
                    reports.connected(instanceId, account(loggedIn));
                }
                case CompanionEvent.StatusChanged changed -> onStatus(changed.status());
                case CompanionEvent.Paired paired ->
                        LOG.log(System.Logger.Level.INFO, "instance {0} paired as {1}", instanceId, paired.jid());
                case CompanionEvent.Received received -> {
                    // kept through onReceived, which the engine's listener calls outside this catch-all
                }
                case CompanionEvent.PairingCodeRejected rejected -> {
                    // this attempt is over: the user needs a new code, which a new start hands out
                    ended(DisconnectReason.PAIRING_CODE_REJECTED);
                    companion.close();
                }
                case CompanionEvent.PairingFailed failed ->
                        LOG.log(System.Logger.Level.WARNING, "instance {0}: pairing refused: {1}", instanceId,
                                failed.reason());
            }
        } catch (RuntimeException e) {
            // a report that cannot be stored must not kill the connection's thread; the next one will try again
            LOG.log(System.Logger.Level.ERROR, "instance " + instanceId + ": could not record a session report", e);
        }
    }

    /**
     * Keeps what the device received, synchronously: a failure propagates (no catch here), so the stanza stays
     * unacknowledged and WhatsApp delivers it again. Runs on the device's inbox, even while the session stops.
     */
    void onReceived(CompanionEvent.Received received) {
        switch (received) {
            case CompanionEvent.CallUpdated call -> inbound.callUpdated(instanceId,
                    new InboundEventUseCase.CallUpdate(call.type(), call.callId(), call.from(), call.video(),
                            call.at()));
            // the core stores it once per id: a redelivery after a crash between the two commits publishes nothing
            case CompanionEvent.MessageReceived message -> messages.exchanged(instanceId, message.exchanged(),
                    message.file().filter(ReceivedFile::complete).map(file -> receivedMedia(message.exchanged(), file)));
            case CompanionEvent.ReceiptReceived receipt -> messages.receipt(instanceId,
                    new InboundMessagesUseCase.Receipt(receipt.chat(), receipt.participant(), receipt.status(),
                            receipt.ids(), receipt.at()));
            // one group.flow event per change, stored once per notification id: WhatsApp sends the notification
            // again when this throws, or when our ack was lost
            case CompanionEvent.GroupChanged changed -> inbound.receiveOnce(instanceId, changed.stanzaId(),
                    EventType.GROUP_FLOW, GroupFlow.events(changed), changed.at().orElse(null));
            case CompanionEvent.AppStateSynced synced -> appState.apply(instanceId, synced.changes());
            case CompanionEvent.HistoryReceived history -> messages.history(instanceId,
                    new InboundMessagesUseCase.History(history.messages(), history.contacts(), history.linkedAt()));
            case CompanionEvent.PushNameLearned learned -> companion.account()
                    .ifPresent(stored -> reports.accountUpdated(instanceId, account(stored.jid(), stored.lid())));
        }
    }

    private void onStatus(ConnectionStatus status) {
        switch (status.state()) {
            case CONNECTING -> {
                if (downFor == null) {
                    reports.connecting(instanceId);
                }
            }
            case RECONNECTING -> {
                if (status.code() == RESTART_REQUIRED) {
                    reports.connecting(instanceId);
                } else if (dialing.lastDialFailedAtProxy()) {
                    down(DisconnectReason.PROXY_ERROR);
                } else if (dialing.throughProxy() && downFor == null) {
                    // the socket through the proxy was fine until now: the next dial says whether the proxy died
                    dropUnexplained = true;
                } else {
                    down(DisconnectReason.NETWORK);
                }
            }
            case AWAITING_QR_SCAN, CONNECTED -> {
                downFor = null;
                dropUnexplained = false;
            }
            case DISCONNECTED -> down(DisconnectReason.NETWORK);
            case LOGGED_OUT -> ended(DisconnectReason.LOGGED_OUT);
            case CLIENT_OUTDATED -> ended(DisconnectReason.OUTDATED);
            case TEMPORARILY_BANNED, BANNED -> ended(DisconnectReason.BANNED);
            case REPLACED -> ended(DisconnectReason.REPLACED);
            case QR_TIMEOUT -> ended(DisconnectReason.QR_TIMEOUT);
            case FAILED -> {
                forget.accept(this);
                stopping = true;
                reports.failed(instanceId);
            }
        }
    }

    /** The first dial after an unexplained drop through the proxy decides the reason reported for it. */
    private void onDial(ProxyDialing.Outcome outcome) {
        if (!dropUnexplained || stopping) {
            return;
        }
        dropUnexplained = false;
        try {
            down(outcome == ProxyDialing.Outcome.FAILED_AT_PROXY ? DisconnectReason.PROXY_ERROR
                    : DisconnectReason.NETWORK);
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.ERROR, "instance " + instanceId + ": could not record a session report", e);
        }
    }

    private synchronized void down(DisconnectReason reason) {
        if (downFor != reason) {
            downFor = reason;
            reports.disconnected(instanceId, reason);
        }
    }

    /**
     * A terminal state: the client stopped retrying, so the engine no longer runs this session, and nothing it still
     * says is news (the next start opens a new session).
     */
    private void ended(DisconnectReason reason) {
        forget.accept(this);
        stopping = true;
        reports.disconnected(instanceId, reason);
    }

    private LinkedAccount account(CompanionEvent.LoggedIn loggedIn) {
        return account(loggedIn.jid(), loggedIn.lid());
    }

    /** The account as the application names it: the phone number of {@code jid}, the LID, and what the store has. */
    private LinkedAccount account(String jid, String lid) {
        var stored = companion.account();
        var phone = Jid.parse(jid).map(Jid::user).orElse(jid);
        return new LinkedAccount(phone, emptyToNull(lid),
                stored.map(a -> emptyToNull(a.pushName())).orElse(null),
                stored.map(a -> emptyToNull(a.platform())).orElse(null));
    }

    private static String emptyToNull(String value) {
        return value == null || value.isEmpty() ? null : value;
    }

    /** The file of a received media message as the application takes it. */
    private static InboundMessagesUseCase.ReceivedMedia receivedMedia(ponte.domain.message.MessageExchanged exchanged,
                                                                     ReceivedFile file) {
        return new InboundMessagesUseCase.ReceivedMedia(file.kind(), file.directPath(), file.url(), file.mediaKey(),
                file.fileSha256(), file.fileEncSha256(), file.fileLength());
    }
}
