package ponte.application.service;

import java.util.List;
import java.util.Set;
import java.util.Optional;
import java.util.regex.Pattern;
import ponte.application.error.NotFoundException;
import ponte.application.model.SandboxGroup;
import ponte.application.model.SandboxInbox;
import ponte.application.model.SandboxInfo;
import ponte.application.model.SandboxLinkedDevice;
import ponte.application.model.SandboxMessage;
import ponte.application.model.SandboxPhone;
import ponte.application.model.SandboxReceipt;
import ponte.application.model.SandboxSignal;
import ponte.application.port.in.SandboxUseCase;
import ponte.application.port.out.SandboxPort;
import ponte.domain.validation.ValidationException;

/** The sandbox network for the operator; its answers are copied from the out-port's records into the core's model. */
final class SandboxService implements SandboxUseCase {
    /** The message types the sandbox's phones send today. */
    private static final List<String> TYPES = List.of("text", "location", "contact", "reaction", "poll", "edit",
            "revoke", "poll_vote");
    /** E.164: a country code and at most 15 digits, with an optional {@code +}; or the account's PN JID. */
    private static final Pattern NUMBER = Pattern.compile("\\+?([1-9][0-9]{6,14})");
    private static final Pattern PN_JID = Pattern.compile("([1-9][0-9]{6,14})@s\\.whatsapp\\.net");
    private static final Pattern GROUP_JID = Pattern.compile("[0-9]+(-[0-9]+)?@g\\.us");
    private static final Pattern LABEL_ID = Pattern.compile("[A-Za-z0-9_-]{1,32}");

    private final Optional<SandboxPort> sandbox;

    SandboxService(Optional<SandboxPort> sandbox) {
        this.sandbox = sandbox;
    }

    @Override
    public SandboxInfo info() {
        return network().info().orElseThrow(SandboxService::absent);
    }

    @Override
    public SandboxPhone createPhone(String phoneNumber, String pushName) {
        var phone = network().createPhone(required("phone_number", phoneNumber), pushName == null ? "" : pushName);
        return new SandboxPhone(phone.phoneNumber(), phone.pushName(), phone.lid());
    }

    @Override
    public SandboxLinkedDevice scan(String phoneNumber, String qr) {
        return device(network().scan(required("phone", phoneNumber), required("qr", qr)));
    }

    @Override
    public java.util.List<SandboxLinkedDevice> devices(String phoneNumber) {
        var network = network();
        if (network.phones().stream().noneMatch(phone -> phone.phoneNumber().equals(phoneNumber))) {
            throw new NotFoundException("no virtual phone " + phoneNumber);
        }
        return network.devices(phoneNumber).stream().map(SandboxService::device).toList();
    }

    @Override
    public SandboxLinkedDevice linkCode(String phoneNumber, String code) {
        return device(network().linkCode(required("phone", phoneNumber), required("code", code)));
    }

    @Override
    public String sendMessage(String phoneNumber, String to, String type, String text) {
        if (type != null && !TYPES.contains(type)) {
            throw ValidationException.of("type", "the sandbox's phones send " + String.join(", ", TYPES)
                    + " messages today, not " + type);
        }
        String recipient = to != null && GROUP_JID.matcher(to.strip()).matches() ? to.strip() : number("to", to);
        if (text == null || text.isEmpty()) {
            throw ValidationException.of("text", "is required");
        }
        return network().sendText(required("phone", phoneNumber), recipient, text);
    }

    @Override
    public String sendMessage(String phoneNumber, PhoneSend send) {
        var type = send.type() == null ? "text" : send.type();
        if (type.equals("text")) {
            return sendMessage(phoneNumber, send.to(), type, send.text());
        }
        if (!TYPES.contains(type)) {
            throw ValidationException.of("type", "the sandbox's phones send " + String.join(", ", TYPES)
                    + " messages today, not " + type);
        }
        if (send.to() != null && GROUP_JID.matcher(send.to().strip()).matches()) {
            throw ValidationException.of("to", "the sandbox's phones send " + type + " messages 1:1 only");
        }
        String recipient = number("to", send.to());
        String phone = required("phone", phoneNumber);
        var problems = new ponte.domain.validation.Violations();
        if (type.equals("poll_vote")) {
            problems.check(send.messageId() != null && !send.messageId().isBlank(), "message_id",
                    "is required: the poll's id");
            problems.throwIfAny();
            return network().vote(phone, recipient, send.messageId(),
                    send.options() == null ? List.of() : send.options());
        }
        ponte.domain.message.OutgoingContent content = switch (type) {
            case "location" -> ponte.domain.message.OutgoingContent.checkLocation(problems, send.latitude(),
                    send.longitude(), send.name(), send.address());
            case "contact" -> ponte.domain.message.OutgoingContent.checkContacts(problems, send.contacts());
            case "reaction" -> ponte.domain.message.OutgoingContent.checkReaction(problems, send.messageId(),
                    send.emoji());
            case "poll" -> ponte.domain.message.OutgoingContent.checkPoll(problems, send.question(), send.options(),
                    send.multiple());
            case "edit" -> new ponte.domain.message.OutgoingContent.Edit(
                    ponte.domain.message.MessageId.parse("message_id", send.messageId()), send.text());
            default -> new ponte.domain.message.OutgoingContent.Revoke(
                    ponte.domain.message.MessageId.parse("message_id", send.messageId()));
        };
        problems.throwIfAny();
        return network().send(phone, recipient, content, java.util.Optional.ofNullable(send.replyTo()));
    }

    @Override
    public SandboxInbox inbox(String phoneNumber) {
        var network = network();
        String phone = required("phone", phoneNumber);
        var messages = network.received(phone).stream().map(m -> new SandboxMessage(m.id(), m.chatJid(), m.fromMe(),
                m.senderJid(), m.senderLid(), m.senderPushName(), m.timestamp(), m.text(), m.body(), m.replyTo()))
                .toList();
        var receipts = network.receipts(phone).stream()
                .map(r -> new SandboxReceipt(r.messageId(), r.from(), r.type(), r.at())).toList();
        return new SandboxInbox(messages, receipts);
    }

    @Override
    public int seedHistory(String phoneNumber, Integer count, Integer chats) {
        if (count == null || count < 1 || count > 100_000) {
            throw ValidationException.of("count", "is required: 1 to 100000 messages");
        }
        int over = chats == null ? 1 : chats;
        if (over < 1 || over > 1_000 || over > count) {
            throw ValidationException.of("chats", "must be 1 to 1000, and at most count");
        }
        return network().seedHistory(required("phone", phoneNumber), count, over);
    }

    @Override
    public int expireMedia(String directPath, String phoneNumber) {
        boolean byPath = directPath != null && !directPath.isBlank();
        boolean byPhone = phoneNumber != null && !phoneNumber.isBlank();
        if (!byPath && !byPhone) {
            throw ValidationException.of("direct_path", "give direct_path, phone, or both");
        }
        if (byPath && !directPath.startsWith("/")) {
            throw ValidationException.of("direct_path", "is a path on the media host, starting with /");
        }
        return network().expireMedia(java.util.Optional.ofNullable(byPath ? directPath : null),
                java.util.Optional.ofNullable(byPhone ? phoneNumber : null));
    }

    private static final java.util.Map<String, String> MEDIA_TYPES = java.util.Map.of("image", "image/jpeg",
            "video", "video/mp4", "audio", "audio/mpeg", "ptt", "audio/ogg; codecs=opus", "document",
            "application/pdf", "sticker", "image/webp");

    @Override
    public String sendMedia(String phoneNumber, PhoneMediaSend send) {
        if (send.type() == null || !MEDIA_TYPES.containsKey(send.type())) {
            throw ValidationException.of("type", "is one of " + String.join(", ", new java.util.TreeSet<>(
                    MEDIA_TYPES.keySet())));
        }
        String recipient = number("to", send.to());
        byte[] file;
        try {
            file = java.util.Base64.getDecoder().decode(send.base64() == null ? "" : send.base64().strip());
        } catch (IllegalArgumentException e) {
            throw ValidationException.of("base64", "is not base64");
        }
        if (file.length == 0) {
            throw ValidationException.of("base64", "is required: the file, not empty");
        }
        String mime = send.mimeType() == null || send.mimeType().isBlank() ? MEDIA_TYPES.get(send.type())
                : send.mimeType();
        return network().sendMedia(required("phone", phoneNumber), recipient, send.type(), file, mime,
                java.util.Optional.ofNullable(send.caption()), java.util.Optional.ofNullable(send.fileName()),
                send.expired());
    }

    @Override
    public byte[] receivedMedia(String phoneNumber, String messageId) {
        return network().receivedMedia(required("phone", phoneNumber), required("message_id", messageId))
                .orElseThrow(() -> new ponte.application.error.NotFoundException("phone " + phoneNumber
                        + " received no file in message " + messageId));
    }

    @Override
    public void markRead(String phoneNumber, String chat, List<String> messageIds) {
        String peer = number("chat", chat);
        if (messageIds == null || messageIds.isEmpty()) {
            throw ValidationException.of("message_ids", "is required: the ids of the messages read");
        }
        if (messageIds.stream().anyMatch(id -> id == null || id.isBlank())) {
            throw ValidationException.of("message_ids", "holds a blank id");
        }
        network().markRead(required("phone", phoneNumber), peer, List.copyOf(messageIds));
    }

    @Override
    public SandboxGroup createGroup(String phoneNumber, String subject, List<String> participants) {
        String phone = required("phone", phoneNumber);
        String name = required("subject", subject);
        if (participants == null || participants.isEmpty()) {
            throw ValidationException.of("participants", "is required: the numbers of the members besides the creator");
        }
        List<String> members = participants.stream().map(member -> number("participants", member)).toList();
        return network().createGroup(phone, name, members);
    }

    @Override
    public List<SandboxGroup> groups(String phoneNumber) {
        return network().groups(required("phone", phoneNumber));
    }

    @Override
    public SandboxGroup updateGroup(String phoneNumber, String groupJid, String subject, String description,
                                   Boolean announce, Boolean locked) {
        String group = group(groupJid);
        if (subject == null && description == null && announce == null && locked == null) {
            throw ValidationException.of("body", "must change at least one of subject, description, announce, "
                    + "locked");
        }
        return network().updateGroup(required("phone", phoneNumber), group, subject, description, announce, locked);
    }

    @Override
    public List<Integer> changeGroupParticipants(String phoneNumber, String groupJid, String action,
                                                 List<String> participants) {
        String group = group(groupJid);
        if (action == null || !List.of("add", "remove", "promote", "demote").contains(action)) {
            throw ValidationException.of("action", "must be one of add, remove, promote, demote");
        }
        if (participants == null || participants.isEmpty()) {
            throw ValidationException.of("participants", "is required: the members' numbers");
        }
        List<String> members = participants.stream().map(member -> number("participants", member)).toList();
        return network().changeGroupParticipants(required("phone", phoneNumber), group, action, members);
    }

    @Override
    public String groupInviteCode(String phoneNumber, String groupJid) {
        return network().groupInviteCode(required("phone", phoneNumber), group(groupJid));
    }

    @Override
    public SandboxGroup joinGroup(String phoneNumber, String code) {
        String given = required("code", code);
        String bare = given.startsWith(ponte.application.model.GroupInvite.LINK_PREFIX)
                ? given.substring(ponte.application.model.GroupInvite.LINK_PREFIX.length()) : given;
        return network().joinGroup(required("phone", phoneNumber), bare);
    }

    @Override
    public void leaveGroup(String phoneNumber, String groupJid) {
        network().leaveGroup(required("phone", phoneNumber), group(groupJid));
    }

    @Override
    public void setGroupAddPrivacy(String phoneNumber, String groupadd) {
        if (groupadd == null || !List.of("all", "none").contains(groupadd)) {
            throw ValidationException.of("groupadd", "must be all (anyone may add the phone to a group) or none "
                    + "(an admin's add is refused with 403 for it)");
        }
        network().allowGroupAdds(required("phone", phoneNumber), groupadd.equals("all"));
    }

    /** A group JID, {@code <id>@g.us} (the id alone is taken too). */
    private static String group(String value) {
        String given = required("jid", value);
        String jid = given.contains("@") ? given : given + "@g.us";
        if (!GROUP_JID.matcher(jid).matches()) {
            throw ValidationException.of("jid", "is a group JID: <id>@g.us");
        }
        return jid;
    }

    @Override
    public String call(String phoneNumber, String to) {
        return network().call(required("phone", phoneNumber), number("to", to), false);
    }

    @Override
    public void saveContact(String phoneNumber, String contact, String name) {
        String phone = required("phone", phoneNumber);
        String jid = number("jid", contact) + "@s.whatsapp.net";
        String saved = required("name", name);
        if (saved.length() > 256) {
            throw ValidationException.of("name", "is at most 256 characters");
        }
        network().saveContact(phone, jid, saved);
    }

    @Override
    public void deleteContact(String phoneNumber, String contact) {
        String jid = number("jid", contact) + "@s.whatsapp.net";
        if (!network().deleteContact(required("phone", phoneNumber), jid)) {
            throw new NotFoundException("the phone's address book has no " + jid);
        }
    }

    @Override
    public List<ponte.application.model.SandboxAppState.Contact> contacts(String phoneNumber) {
        return network().contacts(required("phone", phoneNumber));
    }

    @Override
    public void changeChat(String phoneNumber, String chat,
                           ponte.application.model.SandboxAppState.ChatFlagsChange change) {
        String phone = required("phone", phoneNumber);
        String jid = chat != null && GROUP_JID.matcher(chat.strip()).matches() ? chat.strip()
                : number("chat", chat) + "@s.whatsapp.net";
        if (change.archived().isEmpty() && change.pinned().isEmpty() && change.muted().isEmpty()) {
            throw ValidationException.of("body", "changes nothing: give archived, pinned or muted");
        }
        if (change.mutedUntil().isPresent() && !change.muted().orElse(false)) {
            throw ValidationException.of("muted_until", "goes with muted: true");
        }
        network().changeChat(phone, jid, change);
    }

    @Override
    public void editLabel(String phoneNumber, String id, String name, Integer color) {
        String phone = required("phone", phoneNumber);
        String label = labelId(id);
        String labelName = required("name", name);
        if (color == null || color < 0 || color > 19) {
            throw ValidationException.of("color", "is WhatsApp's colour index, 0 to 19");
        }
        network().editLabel(phone, label, labelName, color);
    }

    @Override
    public void deleteLabel(String phoneNumber, String id) {
        if (!network().deleteLabel(required("phone", phoneNumber), labelId(id))) {
            throw new NotFoundException("the phone has no label " + id);
        }
    }

    @Override
    public String postStatus(String phoneNumber, List<String> to, String text) {
        String phone = required("phone", phoneNumber);
        if (to == null || to.isEmpty()) {
            throw ValidationException.of("to", "is required: the numbers who see the status update");
        }
        List<String> audience = to.stream().map(member -> number("to", member)).toList();
        if (text == null || text.isEmpty()) {
            throw ValidationException.of("text", "is required");
        }
        return network().postStatus(phone, audience, text);
    }

    @Override
    public void callAction(String phoneNumber, String callId, String action) {
        if (action == null || !Set.of("accept", "reject", "terminate").contains(action)) {
            throw ValidationException.of("action", "must be accept, reject or terminate");
        }
        network().callAction(required("phone", phoneNumber), required("call_id", callId), action);
    }

    @Override
    public List<SandboxSignal> calls(String phoneNumber) {
        return network().signals(required("phone", phoneNumber)).stream()
                .filter(signal -> signal.kind().equals("call")).toList();
    }

    @Override
    public void presence(String phoneNumber, String to, String state) {
        String phone = required("phone", phoneNumber);
        if (state == null || !Set.of("available", "unavailable", "composing", "recording", "paused")
                .contains(state)) {
            throw ValidationException.of("state", "must be available, unavailable, composing, recording or paused");
        }
        boolean own = state.equals("available") || state.equals("unavailable");
        if (own) {
            if (to != null) {
                throw ValidationException.of("to", "must be omitted for '" + state + "': a presence is not per chat");
            }
            network().announcePresence(phone, state.equals("available"));
        } else {
            network().chatState(phone, number("to", to), state);
        }
    }

    @Override
    public List<ponte.application.model.SandboxAppState.Label> labels(String phoneNumber) {
        return network().labels(required("phone", phoneNumber));
    }

    @Override
    public void labelChat(String phoneNumber, String id, String chat, String messageId, boolean labeled) {
        String phone = required("phone", phoneNumber);
        String label = labelId(id);
        String jid = chat != null && GROUP_JID.matcher(chat.strip()).matches() ? chat.strip()
                : number("chat", chat) + "@s.whatsapp.net";
        if (messageId != null && messageId.isBlank()) {
            throw ValidationException.of("message_id", "is blank");
        }
        var network = network();
        if (network.labels(phone).stream().noneMatch(known -> known.id().equals(label))) {
            throw new NotFoundException("the phone has no label " + label);
        }
        network.labelChat(phone, label, jid, Optional.ofNullable(messageId).map(String::strip), labeled);
    }

    private static String labelId(String id) {
        String label = required("id", id);
        if (!LABEL_ID.matcher(label).matches()) {
            throw ValidationException.of("id", "is 1 to 32 of A-Z a-z 0-9 _ -");
        }
        return label;
    }

    @Override
    public SandboxPresence presenceSeen(String phoneNumber, String of) {
        var network = network();
        var chatStates = network.signals(required("phone", phoneNumber)).stream()
                .filter(signal -> signal.kind().equals("chatstate")).toList();
        if (of == null || of.isBlank()) {
            return new SandboxPresence(chatStates, null, java.util.Optional.empty());
        }
        String account = number("of", of);
        return new SandboxPresence(chatStates, account + "@s.whatsapp.net", network.presenceOf(account));
    }

    /** The international number a field names, by digits, {@code +E.164} or PN JID. */
    private static String number(String field, String value) {
        String given = required(field, value);
        var digits = NUMBER.matcher(given);
        if (digits.matches()) {
            return digits.group(1);
        }
        var jid = PN_JID.matcher(given);
        if (jid.matches()) {
            return jid.group(1);
        }
        throw ValidationException.of(field, "is a phone number (international digits or +E.164) or a phone JID "
                + "(number@s.whatsapp.net)");
    }

    private static SandboxLinkedDevice device(SandboxPort.SandboxLinkedDevice device) {
        return new SandboxLinkedDevice(device.phoneNumber(), device.device(), device.jid(), device.lid(),
                device.platform(), device.linkedAt());
    }

    private SandboxPort network() {
        return sandbox.orElseThrow(SandboxService::absent);
    }

    private static String required(String field, String value) {
        if (value == null || value.isBlank()) {
            throw ValidationException.of(field, "is required");
        }
        return value.strip();
    }

    private static NotFoundException absent() {
        return new NotFoundException("this gateway talks to WhatsApp, not to a sandbox: start it with "
                + "PONTE_WHATSAPP=sandbox to simulate the network");
    }
}
