package ponte.application.service;

import java.util.List;
import java.util.Set;
import java.util.UUID;
import ponte.application.error.NotConnectedException;
import ponte.application.port.in.PresenceUseCase;
import ponte.application.port.out.InstanceSettingsStore;
import ponte.application.port.out.MessagingPort;
import ponte.application.port.out.PresencePort;
import ponte.application.port.out.SessionDirectory;
import ponte.domain.auth.Principal;
import ponte.domain.instance.Instance;
import ponte.domain.message.Jid;
import ponte.domain.message.Recipient;
import ponte.domain.settings.InstanceSettings;
import ponte.domain.validation.ValidationException;

/**
 * Presence (API.md "Chats, contacts, store" and "Settings in force"): the API's presence and chat states
 * ({@link PresenceUseCase}), and the standing presence the setting {@code always_online} decides, sent on every
 * connect and whenever the setting changes: {@code available} with it, {@code unavailable} without — as WhatsApp
 * Web does when idle, so the phone keeps getting its notifications while the gateway is connected. Both carry the
 * push name, which WhatsApp needs once before contacts see it.
 */
final class PresenceService implements PresenceUseCase {
    private static final System.Logger LOG = System.getLogger(PresenceService.class.getName());
    private static final Set<String> OWN = Set.of("available", "unavailable");
    private static final Set<String> CHAT_STATES = Set.of("composing", "recording", "paused");
    private static final String STATES = "available, unavailable, composing, recording or paused";

    private final InstanceAccess access;
    private final SessionDirectory directory;
    private final InstanceSettingsStore settings;
    private final PresencePort presence;
    private final MessagingPort messaging;
    private final java.time.Duration lookupWait;

    PresenceService(InstanceAccess access, SessionDirectory directory, InstanceSettingsStore settings,
                    PresencePort presence, MessagingPort messaging, java.time.Duration lookupWait) {
        this.access = access;
        this.directory = directory;
        this.settings = settings;
        this.presence = presence;
        this.messaging = messaging;
        this.lookupWait = lookupWait;
    }

    @Override
    public void send(Principal caller, String idOrName, String to, String state) {
        var instance = access.resolve(caller, idOrName);
        if (state == null || !OWN.contains(state) && !CHAT_STATES.contains(state)) {
            throw ValidationException.of("state", "must be " + STATES);
        }
        boolean toChat = to != null && !to.isBlank();
        if (!toChat && CHAT_STATES.contains(state)) {
            throw ValidationException.of("to", "is required for the chat state '" + state + "'");
        }
        if (toChat && state.equals("unavailable")) {
            throw ValidationException.of("to", "must be omitted for 'unavailable': our own presence is not per chat");
        }
        var recipient = toChat ? Recipient.parse("to", to) : null;
        if (toChat && recipient.jid().isGroup() && state.equals("available")) {
            throw ValidationException.of("to", "must be a person for 'available': presence is subscribed per person");
        }
        if (!instance.hasPaired()) {
            throw notConnected(instance);
        }
        try {
            var chat = toChat ? person(instance, recipient) : null;
            if (!toChat) {
                presence.announce(instance.id(), state.equals("available"));
                return;
            }
            if (!chat.isGroup()) {
                presence.subscribe(instance.id(), chat);
            }
            if (CHAT_STATES.contains(state)) {
                presence.chatState(instance.id(), chat, state);
            }
        } catch (MessagingPort.Offline offline) {
            throw notConnected(instance);
        }
    }

    /**
     * Sends the standing presence {@code always_online} asks for; called when the instance connected, when its
     * account changed (the push name, which the presence carries, often arrives just after the first connect) and
     * when the setting changed. An instance not online on this node is left alone (its next connect sends it).
     */
    void standing(UUID instanceId) {
        directory.findLive(instanceId).ifPresent(instance -> {
            var inForce = settings.find(instance.tenantId(), instanceId).orElse(InstanceSettings.DEFAULTS);
            try {
                presence.announce(instanceId, inForce.alwaysOnline());
            } catch (MessagingPort.Offline offline) {
                LOG.log(System.Logger.Level.DEBUG, "instance {0}: standing presence not sent: {1}", instanceId,
                        offline.getMessage());
            } catch (RuntimeException e) {
                LOG.log(System.Logger.Level.WARNING, "instance " + instanceId + ": standing presence not sent", e);
            }
        });
    }

    /**
     * The chat a person's presence goes to, checked with the server as a send's is: a number or LID that is not on
     * WhatsApp is a 400 on {@code to}; a number becomes the JID the server knows it by. A group is taken as given.
     */
    private Jid person(Instance instance, Recipient recipient) {
        var candidates = switch (recipient) {
            case Recipient.Phone phone -> phone.candidates();
            case Recipient.Lid lid -> List.of(lid.jid());
            case Recipient.Group group -> List.<Jid>of();
        };
        if (candidates.isEmpty()) {
            return recipient.jid();
        }
        var found = MessageService.firstExisting(candidates, messaging.lookup(instance.id(), candidates, lookupWait));
        return found.map(answer -> answer.jid().orElse(answer.asked())).orElseThrow(() -> ValidationException.of(
                "to", (recipient instanceof Recipient.Phone phone ? "+" + phone.digits() : recipient.jid().toString())
                        + " is not on WhatsApp"));
    }

    private static NotConnectedException notConnected(Instance instance) {
        return new NotConnectedException("instance '" + instance.name().value() + "' is not connected to "
                + "WhatsApp: presence can only be sent while it is online");
    }
}
