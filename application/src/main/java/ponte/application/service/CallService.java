package ponte.application.service;

import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import ponte.application.error.ConflictException;
import ponte.application.error.NotConnectedException;
import ponte.application.error.NotFoundException;
import ponte.application.port.in.CallsUseCase;
import ponte.application.port.in.InboundEventUseCase;
import ponte.application.port.out.CallsPort;
import ponte.application.port.out.InstanceSettingsStore;
import ponte.application.port.out.MessagingPort;
import ponte.application.port.out.SessionDirectory;
import ponte.application.port.out.Transactions;
import ponte.domain.auth.Principal;
import ponte.domain.event.EventEnvelope;
import ponte.domain.event.EventType;
import ponte.domain.instance.Instance;
import ponte.domain.message.IdempotencyKey;
import ponte.domain.message.Jid;
import ponte.domain.settings.InstanceSettings;

/**
 * Calls (API.md "Calls"): every call signal the engine hands over is a {@code call.update} event; with the setting
 * {@code reject_calls} an offer is turned down as soon as it is stored (after the commit, on the session's inbox, so
 * before the stanza is acked) and, when {@code reject_call_message} is set, that text is queued to the caller through
 * the messages' durable, paced path. The queued text carries an idempotency key made of the call id, so an offer
 * handed over twice (redelivered after a crash) queues one text. A reject — automatic or through the API — is a
 * {@code rejected} event once the stanza went out.
 */
final class CallService implements CallsUseCase, InboundEventUseCase {
    private static final System.Logger LOG = System.getLogger(CallService.class.getName());

    private final InstanceAccess access;
    private final SessionDirectory directory;
    private final InstanceSettingsStore settings;
    private final CallsPort calls;
    private final MessageService messages;
    private final EventIngestService events;
    private final Transactions transactions;
    private final Clock clock;

    CallService(InstanceAccess access, SessionDirectory directory, InstanceSettingsStore settings, CallsPort calls,
                MessageService messages, EventIngestService events, Transactions transactions, Clock clock) {
        this.access = access;
        this.directory = directory;
        this.settings = settings;
        this.calls = calls;
        this.messages = messages;
        this.events = events;
        this.transactions = transactions;
        this.clock = clock;
    }

    @Override
    public Optional<EventEnvelope> receive(UUID instanceId, EventType type, Map<String, Object> data,
                                           Instant occurredAt) {
        return events.receive(instanceId, type, data, occurredAt);
    }

    @Override
    public void callUpdated(UUID instanceId, CallUpdate update) {
        transactions.run(() -> {
            var instance = directory.findLive(instanceId);
            if (instance.isEmpty()) {
                return;
            }
            events.append(instance.get(), EventType.CALL_UPDATE, update.data(), update.at().orElse(null));
            var inForce = settings.find(instance.get().tenantId(), instanceId).orElse(InstanceSettings.DEFAULTS);
            if (update.type().equals(CallUpdate.OFFER) && inForce.rejectCalls()) {
                transactions.afterCommit(() -> rejectAtOnce(instance.get(), update.callId(),
                        Optional.ofNullable(inForce.rejectCallMessage())));
            }
        });
    }

    /** The setting's reject: a failure is logged, the offer stays stored (the user can still reject it by hand). */
    private void rejectAtOnce(Instance instance, String callId, Optional<String> message) {
        try {
            calls.reject(instance.id(), callId).filter(CallsPort.KnownCall::ringing).ifPresent(call ->
                    transactions.run(() -> {
                        rejected(instance, call);
                        message.ifPresent(text -> Jid.parse(call.from()).map(Jid::toNonDevice)
                                .filter(jid -> jid.isPhone() || jid.isLid())
                                .ifPresent(caller -> messages.queueText(instance, caller, text,
                                        new IdempotencyKey("ponte.reject-call:" + callId))));
                    }));
        } catch (MessagingPort.Offline offline) {
            LOG.log(System.Logger.Level.INFO, "instance {0}: call {1} could not be rejected: {2}", instance.id(),
                    callId, offline.getMessage());
        }
    }

    @Override
    public RejectedCall reject(Principal caller, String idOrName, String callId) {
        var instance = access.resolve(caller, idOrName);
        if (callId == null || !callId.matches("[0-9A-Za-z._:-]{1,128}")) {
            throw new NotFoundException("call '" + callId + "' not found");
        }
        if (!instance.hasPaired()) {
            throw notConnected(instance);
        }
        Optional<CallsPort.KnownCall> known;
        try {
            known = calls.reject(instance.id(), callId);
        } catch (MessagingPort.Offline offline) {
            throw notConnected(instance);
        }
        var call = known.orElseThrow(() -> new NotFoundException("call '" + callId + "' not found: the instance "
                + "was not offered it (calls are remembered while the session runs)"));
        if (!call.ringing()) {
            throw new ConflictException("call '" + callId + "' no longer rings: it was accepted, rejected or ended");
        }
        transactions.run(() -> rejected(instance, call));
        return new RejectedCall(call.callId(), call.from(), call.video());
    }

    private void rejected(Instance instance, CallsPort.KnownCall call) {
        var now = clock.instant();
        events.append(instance, EventType.CALL_UPDATE, new CallUpdate(CallUpdate.REJECTED, call.callId(),
                call.from(), call.video(), Optional.of(now)).data(), now);
    }

    private static NotConnectedException notConnected(Instance instance) {
        return new NotConnectedException("instance '" + instance.name().value() + "' is not connected to "
                + "WhatsApp: calls can only be rejected while it is online");
    }
}
