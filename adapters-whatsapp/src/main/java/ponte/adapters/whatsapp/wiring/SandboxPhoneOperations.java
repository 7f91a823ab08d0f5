package ponte.adapters.whatsapp.wiring;

import java.time.Duration;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;
import ponte.adapters.whatsapp.binary.Jid;
import ponte.adapters.whatsapp.sandbox.ReceivedMessage;
import ponte.adapters.whatsapp.sandbox.SeenReceipt;
import ponte.adapters.whatsapp.sandbox.VirtualPhones;
import ponte.adapters.whatsapp.sandbox.store.LinkedDevice;
import ponte.adapters.whatsapp.sandbox.store.VirtualPhone;
import ponte.application.error.ConflictException;
import ponte.application.error.NotFoundException;
import ponte.application.model.SandboxGroup;
import ponte.application.model.SandboxSignal;
import ponte.application.port.out.SandboxPort.SandboxLinkedDevice;
import ponte.application.port.out.SandboxPort.SandboxMessage;
import ponte.application.port.out.SandboxPort.SandboxReceipt;
import ponte.application.port.out.SandboxPort.SandboxPhone;
import ponte.domain.validation.ValidationException;

/**
 * The sandbox's phone operations as the application sees them: blocking calls with the application's errors, so
 * an HTTP route can answer a scan only once the instance is linked (or say why not).
 */
final class SandboxPhoneOperations {

    /** Longer than a companion needs to countersign, shorter than an HTTP client's patience. */
    private static final Duration LINK_WAIT = Duration.ofSeconds(20);

    private final VirtualPhones phones;

    SandboxPhoneOperations(VirtualPhones phones) {
        this.phones = phones;
    }

    SandboxPhone createPhone(String phoneNumber, String pushName) {
        return translate("phone_number", () -> {
            try {
                return phone(phones.create(phoneNumber, pushName == null ? "" : pushName));
            } catch (IllegalStateException e) {
                throw new ConflictException(e.getMessage());
            }
        });
    }

    List<SandboxPhone> phones() {
        return phones.phones().stream().map(SandboxPhoneOperations::phone).toList();
    }

    SandboxLinkedDevice scan(String phoneNumber, String qr) {
        return translate("qr", () -> await(phones.scan(phoneNumber, qr)));
    }

    SandboxLinkedDevice linkCode(String phoneNumber, String code) {
        return translate("code", () -> await(phones.linkCode(phoneNumber, code)));
    }

    List<SandboxLinkedDevice> devices(String phoneNumber) {
        return translate("phone_number", () -> phones.devices(phoneNumber).stream()
                .map(SandboxPhoneOperations::device).toList());
    }

    boolean unlink(String phoneNumber, int device) {
        return translate("phone_number", () -> phones.unlink(phoneNumber, device));
    }

    /**
     * The phone must exist (else not found); the recipient must be a sandbox account or group (else invalid
     * {@code to}); a group the phone is not in is a conflict, as the server refuses the message.
     */
    String sendText(String phoneNumber, String to, String text) {
        existing(phoneNumber);
        if (to != null && to.endsWith("@g.us")) {
            if (!phones.groupExists(to)) {
                throw ValidationException.of("to", "no sandbox group " + to);
            }
        } else {
            peer("to", to);
        }
        return translate("text", () -> {
            try {
                return phones.sendText(phoneNumber, to, text);
            } catch (IllegalStateException e) {
                throw new ConflictException(e.getMessage());
            }
        });
    }

    /** As {@link #sendText}, for any non-media content, 1:1. */
    String send(String phoneNumber, String to, ponte.domain.message.OutgoingContent content,
                java.util.Optional<String> replyTo) {
        existing(phoneNumber);
        peer("to", to);
        return translate("type", () -> {
            try {
                return phones.send(phoneNumber, to, content, replyTo);
            } catch (IllegalStateException e) {
                throw new ConflictException(e.getMessage());
            }
        });
    }

    /** The phone votes on a poll it received; an unknown poll or option is invalid. */
    String vote(String phoneNumber, String to, String pollId, List<String> options) {
        existing(phoneNumber);
        peer("to", to);
        return translate("message_id", () -> phones.vote(phoneNumber, to, pollId, options));
    }

    /** The phone must exist (else not found); every member must be a sandbox account (else invalid). */
    SandboxGroup createGroup(String phoneNumber, String subject, List<String> participants) {
        existing(phoneNumber);
        participants.forEach(member -> peer("participants", member));
        return translate("subject", () -> group(phones.createGroup(phoneNumber, subject, participants), subject));
    }

    List<SandboxGroup> groups(String phoneNumber) {
        existing(phoneNumber);
        return phones.groups(phoneNumber).entrySet().stream()
                .map(group -> group(group.getKey(), group.getValue())).toList();
    }

    /** The fields in order (subject, description, announce, locked); the server's refusals as conflicts. */
    SandboxGroup updateGroup(String phoneNumber, String groupJid, String subject, String description,
            Boolean announce, Boolean locked) {
        existing(phoneNumber);
        return translate("subject", () -> refusedAsConflict(() -> {
            if (subject != null) {
                phones.renameGroup(phoneNumber, groupJid, subject);
            }
            if (description != null) {
                phones.describeGroup(phoneNumber, groupJid, description);
            }
            if (announce != null) {
                phones.setGroupSetting(phoneNumber, groupJid, announce ? "announcement" : "not_announcement");
            }
            if (locked != null) {
                phones.setGroupSetting(phoneNumber, groupJid, locked ? "locked" : "unlocked");
            }
            return group(groupJid, phones.groupSubject(groupJid));
        }));
    }

    /** The phone and the group must exist (else not found), every member be a sandbox account (else invalid). */
    List<Integer> changeGroupParticipants(String phoneNumber, String groupJid, String action,
            List<String> participants) {
        existing(phoneNumber);
        if (!phones.groupExists(groupJid)) {
            throw new NotFoundException("no sandbox group " + groupJid);
        }
        participants.forEach(member -> peer("participants", member));
        return translate("action", () -> refusedAsConflict(() -> phones.changeGroup(phoneNumber, groupJid, action,
                participants).values().stream().map(code -> code == 0 ? 200 : code).toList()));
    }

    String groupInviteCode(String phoneNumber, String groupJid) {
        existing(phoneNumber);
        return translate("jid", () -> refusedAsConflict(() -> phones.groupInviteCode(phoneNumber, groupJid)));
    }

    SandboxGroup joinGroup(String phoneNumber, String code) {
        existing(phoneNumber);
        try {
            String jid = phones.joinGroup(phoneNumber, code);
            return group(jid, phones.groupSubject(jid));
        } catch (IllegalArgumentException | java.util.NoSuchElementException e) {
            throw new NotFoundException("no sandbox group has the invite code " + code);
        }
    }

    void allowGroupAdds(String phoneNumber, boolean everyone) {
        existing(phoneNumber);
        phones.allowGroupAdds(phoneNumber, everyone);
    }

    void leaveGroup(String phoneNumber, String groupJid) {
        existing(phoneNumber);
        translate("jid", () -> refusedAsConflict(() -> {
            phones.leaveGroup(phoneNumber, groupJid);
            return null;
        }));
    }

    private static <T> T refusedAsConflict(Supplier<T> operation) {
        try {
            return operation.get();
        } catch (IllegalStateException e) {
            throw new ConflictException(e.getMessage());
        }
    }

    private SandboxGroup group(String jid, String subject) {
        return new SandboxGroup(jid, subject, List.copyOf(phones.groupMembers(jid).keySet()));
    }

    List<SandboxMessage> received(String phoneNumber) {
        existing(phoneNumber);
        return phones.received(phoneNumber).stream().map(this::message).toList();
    }

    /** As {@link #sendText}, for a file ({@code type} a media type's name), 1:1. */
    String sendMedia(String phoneNumber, String to, ponte.adapters.whatsapp.media.MediaType type, byte[] file,
                     String mimeType, java.util.Optional<String> caption, java.util.Optional<String> fileName,
                     boolean expired) {
        existing(phoneNumber);
        peer("to", to);
        return translate("type", () -> {
            try {
                return phones.sendMedia(phoneNumber, to, type, file, mimeType, caption, fileName, expired);
            } catch (IllegalStateException e) {
                throw new ConflictException(e.getMessage());
            }
        });
    }

    /** The checked file of a media message the phone received; empty when it received none in that message. */
    java.util.Optional<byte[]> receivedMedia(String phoneNumber, String messageId, java.time.Duration wait) {
        existing(phoneNumber);
        try {
            return phones.receivedMedia(phoneNumber, messageId, wait);
        } catch (IllegalStateException e) {
            throw new ponte.application.error.UnavailableException(e.getMessage());
        }
    }

    /** The phone must exist (else not found); count and chats are checked by the core. */
    int seedHistory(String phoneNumber, int count, int chats) {
        existing(phoneNumber);
        return translate("count", () -> phones.seedHistory(phoneNumber, count, chats));
    }

    List<SandboxReceipt> receipts(String phoneNumber) {
        existing(phoneNumber);
        return phones.receipts(phoneNumber).stream().map(SandboxPhoneOperations::receipt).toList();
    }

    void markRead(String phoneNumber, String chat, List<String> messageIds) {
        existing(phoneNumber);
        peer("chat", chat);
        translate("message_ids", () -> {
            phones.markRead(phoneNumber, chat, messageIds);
            return null;
        });
    }

    String call(String phoneNumber, String to, boolean video) {
        existing(phoneNumber);
        peer("to", to);
        return translate("to", () -> phones.call(phoneNumber, to, video));
    }

    void saveContact(String phoneNumber, String jid, String name) {
        existing(phoneNumber);
        phones.appStates().saveContact(phoneNumber, jid, name);
    }

    boolean deleteContact(String phoneNumber, String jid) {
        existing(phoneNumber);
        return phones.appStates().deleteContact(phoneNumber, jid);
    }

    List<ponte.application.model.SandboxAppState.Contact> contacts(String phoneNumber) {
        existing(phoneNumber);
        return phones.appStates().addressBook(phoneNumber).entrySet().stream().sorted(java.util.Map.Entry.comparingByKey())
                .map(entry -> new ponte.application.model.SandboxAppState.Contact(entry.getKey(), entry.getValue()))
                .toList();
    }

    void changeChat(String phoneNumber, String chat, ponte.application.model.SandboxAppState.ChatFlagsChange change) {
        existing(phoneNumber);
        change.archived().ifPresent(archived -> phones.appStates().archiveChat(phoneNumber, chat, archived));
        change.pinned().ifPresent(pinned -> phones.appStates().pinChat(phoneNumber, chat, pinned));
        change.muted().ifPresent(muted -> phones.appStates().muteChat(phoneNumber, chat,
                !muted ? 0 : change.mutedUntil().map(java.time.Instant::toEpochMilli).orElse(-1L)));
    }

    void editLabel(String phoneNumber, String id, String name, int color) {
        existing(phoneNumber);
        phones.appStates().editLabel(phoneNumber, id, name, color);
    }

    boolean deleteLabel(String phoneNumber, String id) {
        existing(phoneNumber);
        return phones.appStates().deleteLabel(phoneNumber, id);
    }

    List<ponte.application.model.SandboxAppState.Label> labels(String phoneNumber) {
        existing(phoneNumber);
        return phones.appStates().labels(phoneNumber).entrySet().stream().map(label ->
                new ponte.application.model.SandboxAppState.Label(label.getKey(), label.getValue().getKey(),
                        label.getValue().getValue())).toList();
    }

    void labelChat(String phoneNumber, String id, String chat, java.util.Optional<String> messageId, boolean labeled) {
        existing(phoneNumber);
        if (messageId.isPresent()) {
            phones.appStates().labelMessage(phoneNumber, id, chat, messageId.get(), labeled);
        } else {
            phones.appStates().labelChat(phoneNumber, id, chat, labeled);
        }
    }

    String postStatus(String phoneNumber, List<String> audience, String text) {
        existing(phoneNumber);
        audience.forEach(member -> peer("to", member));
        return translate("text", () -> {
            try {
                return phones.postStatus(phoneNumber, audience, text);
            } catch (IllegalStateException e) {
                throw new ConflictException(e.getMessage());
            }
        });
    }

    void callAction(String phoneNumber, String callId, String action) {
        existing(phoneNumber);
        translate("action", () -> {
            phones.callAction(phoneNumber, callId, action);
            return null;
        });
    }

    List<SandboxSignal> signals(String phoneNumber) {
        existing(phoneNumber);
        return phones.signals(phoneNumber).stream().map(seen -> new SandboxSignal(seen.kind(),
                seen.type(), seen.callId().isEmpty() ? null : seen.callId(), seen.from(), seen.at())).toList();
    }

    void announcePresence(String phoneNumber, boolean available) {
        existing(phoneNumber);
        phones.announcePresence(phoneNumber, available);
    }

    void chatState(String phoneNumber, String to, String state) {
        existing(phoneNumber);
        peer("to", to);
        translate("state", () -> {
            phones.chatState(phoneNumber, to, state);
            return null;
        });
    }

    java.util.Optional<Boolean> presenceOf(String phoneNumber) {
        peer("of", phoneNumber);
        return phones.presence(phoneNumber);
    }

    private void existing(String phoneNumber) {
        if (phones.phone(phoneNumber).isEmpty()) {
            throw new NotFoundException("no virtual phone " + phoneNumber);
        }
    }

    /** A peer that is no sandbox account is, for the network, a number that is not on WhatsApp. */
    private void peer(String field, String number) {
        if (phones.phone(number).isEmpty()) {
            throw ValidationException.of(field, "is not on WhatsApp: no sandbox phone has the number " + number);
        }
    }

    private SandboxMessage message(ReceivedMessage received) {
        // a companion's copy of our own message was written by this account; any other by the peer it came from
        var sender = Jid.parse(received.from()).flatMap(jid -> phones.phone(jid.user()));
        return new SandboxMessage(received.id(), received.chat(), received.sentByMe(), received.from(),
                sender.map(VirtualPhone::lid).map(lid -> lid + "@" + Jid.LID_SERVER).orElse(null),
                sender.map(VirtualPhone::pushName).filter(name -> !name.isEmpty()).orElse(null),
                received.timestamp(), received.text(), received.body(), received.replyTo());
    }

    /** The wire's receipt types by the API's status names: no type (or {@code inactive}) is a delivery. */
    private static SandboxReceipt receipt(SeenReceipt seen) {
        String type = seen.delivery() ? "delivered" : seen.type();
        return new SandboxReceipt(seen.id(), seen.from(), type, seen.timestamp());
    }

    private static SandboxLinkedDevice await(CompletableFuture<LinkedDevice> linking) {
        try {
            return device(linking.get(LINK_WAIT.toMillis(), TimeUnit.MILLISECONDS));
        } catch (ExecutionException e) {
            // a wrong code or a refused countersignature: the request was understood, the link did not happen
            throw new ConflictException("the device was not linked: " + e.getCause().getMessage());
        } catch (TimeoutException e) {
            throw new ConflictException("the device did not complete the link within " + LINK_WAIT.toSeconds() + " s");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while linking", e);
        }
    }

    private static <T> T translate(String field, Supplier<T> operation) {
        try {
            return operation.get();
        } catch (NoSuchElementException e) {
            throw new NotFoundException(e.getMessage());
        } catch (IllegalArgumentException e) {
            throw ValidationException.of(field, e.getMessage());
        }
    }

    private static SandboxPhone phone(VirtualPhone phone) {
        return new SandboxPhone(phone.phone(), phone.pushName(), phone.lid());
    }

    private static SandboxLinkedDevice device(LinkedDevice device) {
        return new SandboxLinkedDevice(device.phone(), device.device(), device.jid(), device.lid(), device.platform(),
                device.linkedAt());
    }
}
