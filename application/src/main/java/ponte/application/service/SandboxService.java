package ponte.application.service;

import java.util.List;
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
import ponte.application.port.in.SandboxUseCase;
import ponte.application.port.out.SandboxPort;
import ponte.domain.validation.ValidationException;

/** The sandbox network for the operator; its answers are copied from the out-port's records into the core's model. */
final class SandboxService implements SandboxUseCase {
    /** The message types the sandbox's phones send today. */
    private static final List<String> TYPES = List.of("text");
    /** E.164: a country code and at most 15 digits, with an optional {@code +}; or the account's PN JID. */
    private static final Pattern NUMBER = Pattern.compile("\\+?([1-9][0-9]{6,14})");
    private static final Pattern PN_JID = Pattern.compile("([1-9][0-9]{6,14})@s\\.whatsapp\\.net");
    private static final Pattern GROUP_JID = Pattern.compile("[0-9]+(-[0-9]+)?@g\\.us");

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
    public SandboxInbox inbox(String phoneNumber) {
        var network = network();
        String phone = required("phone", phoneNumber);
        var messages = network.received(phone).stream().map(m -> new SandboxMessage(m.id(), m.chatJid(), m.fromMe(),
                m.senderJid(), m.senderLid(), m.senderPushName(), m.timestamp(), m.text())).toList();
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
    public String call(String phoneNumber, String to) {
        return network().call(required("phone", phoneNumber), number("to", to), false);
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
