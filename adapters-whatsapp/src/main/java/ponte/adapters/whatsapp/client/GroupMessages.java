package ponte.adapters.whatsapp.client;

import com.google.protobuf.InvalidProtocolBufferException;
import java.security.SecureRandom;
import java.util.Optional;
import ponte.adapters.whatsapp.binary.Node;
import ponte.adapters.whatsapp.proto.E2e;
import ponte.adapters.whatsapp.signal.GroupCipher;
import ponte.adapters.whatsapp.signal.MessageType;
import ponte.adapters.whatsapp.signal.Padding;
import ponte.adapters.whatsapp.signal.SenderKeyName;
import ponte.adapters.whatsapp.signal.SessionCipher;
import ponte.adapters.whatsapp.signal.SignalAddress;
import ponte.adapters.whatsapp.signal.SignalException;
import ponte.adapters.whatsapp.signal.SignalStore;

/**
 * How a group message ({@code <message from=gid participant=author>}), or a status update ({@code from=
 * status@broadcast}), is decrypted (protocol.md §1.15; whatsmeow
 * message.go {@code decryptMessages}): the {@code pkmsg}/{@code msg} first, whose content may be the author's
 * sender-key distribution message (taken in under (group, author)), then the {@code skmsg} under the author's
 * sender key. All on one unit of Signal state, so the caller commits it with the message it keeps.
 */
final class GroupMessages {

    private GroupMessages() {
    }

    /**
     * A message under a sender key: a group's ({@code …@g.us}) or a status update ({@code status@broadcast}, whose
     * author posts it to their contacts under a sender key of their own, whatsmeow message.go).
     */
    static boolean isGroup(Node stanza) {
        String from = stanza.attributeOr("from", "");
        return from.endsWith("@g.us") || from.equals(STATUS_BROADCAST);
    }

    /** Where status updates are posted. */
    static final String STATUS_BROADCAST = "status@broadcast";

    /**
     * The unpadded e2e {@code Message} the stanza carries: the {@code skmsg}'s, or without one the 1:1 copy's.
     * Throws {@link SignalException} when a part cannot be decrypted (no sender key of the author yet, say), and
     * {@link IllegalArgumentException} when the stanza holds nothing to decrypt.
     */
    static byte[] decrypt(SignalStore unit, Node stanza, SignalAddress author, SecureRandom random)
            throws SignalException {
        String group = stanza.attributeOr("from", "");
        Optional<byte[]> direct = Optional.empty();
        for (Node enc : stanza.children()) {
            String type = enc.attributeOr("type", "");
            if (enc.tag().equals("enc") && (type.equals("pkmsg") || type.equals("msg"))) {
                byte[] plaintext = Padding.unpad(new SessionCipher(unit, random).decrypt(author,
                        MessageType.fromWire(type), enc.bytes().orElse(new byte[0])).plaintext());
                direct = Optional.of(plaintext);
                E2e.Message message = parse(plaintext);
                if (message.hasSenderKeyDistributionMessage()) {
                    var key = message.getSenderKeyDistributionMessage();
                    String keyGroup = key.getGroupId().isEmpty() ? group : key.getGroupId();
                    new GroupCipher(unit, random).process(new SenderKeyName(keyGroup, author),
                            key.getAxolotlSenderKeyDistributionMessage().toByteArray());
                }
            }
        }
        for (Node enc : stanza.children()) {
            if (enc.tag().equals("enc") && enc.attributeOr("type", "").equals("skmsg")) {
                return Padding.unpad(new GroupCipher(unit, random).decrypt(new SenderKeyName(group, author),
                        enc.bytes().orElse(new byte[0])));
            }
        }
        return direct.orElseThrow(() -> new IllegalArgumentException("a group message without anything to decrypt"));
    }

    private static E2e.Message parse(byte[] plaintext) {
        try {
            return E2e.Message.parseFrom(plaintext);
        } catch (InvalidProtocolBufferException e) {
            throw new IllegalArgumentException("not an e2e Message", e);
        }
    }
}
