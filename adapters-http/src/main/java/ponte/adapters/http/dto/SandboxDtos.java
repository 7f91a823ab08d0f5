package ponte.adapters.http.dto;

import java.time.Instant;
import ponte.adapters.http.openapi.Doc;
import ponte.adapters.http.openapi.Example;
import ponte.adapters.http.openapi.Nullable;
import java.util.List;
import ponte.application.model.SandboxGroup;
import ponte.application.model.SandboxInbox;
import ponte.application.model.SandboxLinkedDevice;
import ponte.application.model.SandboxMessage;
import ponte.domain.message.Message;
import ponte.application.model.SandboxPhone;
import ponte.application.model.SandboxReceipt;
import ponte.application.model.SandboxSignal;

/** Bodies of the sandbox routes (a simulated WhatsApp network on loopback). */
public final class SandboxDtos {
    private SandboxDtos() {}

    public record Info(@Doc("Where a WhatsApp Web client dials the simulated network") String wsUrl,
                       @Doc("The network's certificate root (32-byte Curve25519 public key, base64): trust it "
                               + "instead of WhatsApp's") String rootPublicKey,
                       @Doc("The same root's X.509 certificate (PEM), which signs the sandbox's HTTPS media host: "
                               + "what another client (e.g. Node's NODE_EXTRA_CA_CERTS for Baileys) trusts to upload "
                               + "and download media with verification on") @Nullable String mediaRootPem,
                       @Doc("Logins since the sandbox started that found their device already connected (the "
                               + "older connection was told `replaced`): 0 while every instance runs on one node")
                       long replacedConnections) {}

    public record InfoResponse(boolean success, Info sandbox) {}

    public record CreatePhone(@Doc("International number, digits only, e.g. 5511987650001")
                              @Example("5511987650001") String phoneNumber,
                              @Doc("The name the account shows") @Example("Ana") String pushName) {}

    public record Phone(String phoneNumber, @Nullable String pushName,
                        @Doc("The account's LID user, its privacy-preserving WhatsApp id") String lid) {
        public static Phone of(SandboxPhone phone) {
            return new Phone(phone.phoneNumber(), phone.pushName(), phone.lid());
        }
    }

    public record PhoneCreated(boolean success, Phone phone) {}

    public record Scan(@Doc("The QR text an instance shows (the `qr.raw` of connect or GET qr)")
                       @Example("https://wa.me/settings/linked_devices#2@Kx3b9Q,bm9pc2U=,aWRlbnRpdHk=,YWR2ZXJ0") String qr) {}

    public record LinkCode(@Doc("The pairing code an instance was given, with or without the dash")
                           @Example("ABCD-EFGH") String code) {}

    public record Device(@Doc("The linked device's JID, phone:device@s.whatsapp.net") String jid,
                         @Doc("The linked device's LID") @Nullable String lid,
                         @Doc("The companion's platform, e.g. chrome") @Nullable String platform,
                         Instant linkedAt) {
        public static Device of(SandboxLinkedDevice device) {
            return new Device(device.jid(), device.lid(), device.platform(), device.linkedAt());
        }
    }

    public record Linked(boolean success, Device device) {}

    public record Devices(boolean success, java.util.List<Device> devices) {}

    public record SendMessage(@Doc("The recipient: a sandbox phone's number (digits or +E.164), its phone JID, or "
                                      + "the JID of a group the phone is in")
                              @Example("5511987650002") String to,
                              @Doc("The message type: text (default), location, contact, reaction, poll, edit, "
                                      + "revoke or poll_vote; all but text are 1:1 only")
                              @Example("text") @Nullable String type,
                              @Doc("The text to send (text), or an edit's new text") @Example("Oi, tudo bem?")
                              @Nullable String text,
                              @Doc("location: degrees north") @Nullable Double latitude,
                              @Doc("location: degrees east") @Nullable Double longitude,
                              @Doc("location: the place's name") @Nullable String name,
                              @Doc("location: the place's address") @Nullable String address,
                              @Doc("contact: the cards") @Nullable List<MessageDtos.CardBody> contacts,
                              @Doc("reaction: the message reacted to; edit, revoke: the phone's own message; "
                                      + "poll_vote: the poll") @Nullable String messageId,
                              @Doc("reaction: the emoji (empty removes)") @Nullable String emoji,
                              @Doc("poll: the question") @Nullable String question,
                              @Doc("poll: 2-12 options; poll_vote: the options chosen") @Nullable List<String> options,
                              @Doc("poll: several choices allowed") @Nullable Boolean multiple,
                              @Doc("The message this one replies to") @Nullable String replyTo) {}

    public record SentId(@Doc("WhatsApp's message id, the one later receipts carry") String id) {}

    public record MessageSent(boolean success, SentId message) {}

    public record SendMedia(@Doc("The recipient: a sandbox phone's number (digits or +E.164) or its phone JID (1:1)")
                            @Example("5511987650002") String to,
                            @Doc("image, video, audio, ptt (voice note), document or sticker")
                            @Example("image") String type,
                            @Doc("The file, base64") @Example("iVBORw0KGgo=") String base64,
                            @Doc("Its MIME type; by default image/jpeg, video/mp4, audio/mpeg, audio/ogg; codecs=opus, "
                                    + "application/pdf or image/webp after the type")
                            @Example("image/png") String mimeType,
                            @Doc("A caption (image, video, document)") @Example("a picture") String caption,
                            @Doc("The file name (document)") @Example("menu.pdf") String fileName,
                            @Doc("true: the media host expires the file before the message goes out, as WhatsApp's "
                                    + "hosts drop old files, so the receiver's download gets 410 and it must ask the "
                                    + "phone to upload it again (media retry); default false")
                            @Example("false") Boolean expired) {}

    public record PostStatus(@Doc("Who sees it: sandbox phones' numbers (digits or +E.164) or phone JIDs")
                             @Example("[\"5511987650002\"]") List<String> to,
                             @Doc("The status text") @Example("Promoção só hoje!") String text) {}

    public record Sender(@Doc("The sender's phone JID, number@s.whatsapp.net") String jid,
                         @Doc("The sender's LID JID") @Nullable String lid,
                         @Doc("The name the sender's account shows") @Nullable String pushName) {}

    @Doc("A message the phone received, decrypted: the message object of the instance API as far as text goes")
    public record ReceivedMessage(@Doc("WhatsApp's message id") String id,
                                  @Doc("The chat: the other account's phone JID, or the group's JID")
                                  String chatJid,
                                  @Doc("True for a copy of the phone's own message, sent from one of its linked "
                                          + "devices") boolean fromMe,
                                  Sender sender,
                                  @Doc("The server's timestamp (whole seconds)") Instant timestamp,
                                  @Doc("The message type (an edit shows its new text as text, a revoke as "
                                          + "revoked)") @Example("text") String type,
                                  @Doc("The text, for text messages") @Nullable String text,
                                  @Nullable MessageDtos.LocationView location,
                                  @Nullable List<MessageDtos.CardView> contacts,
                                  @Nullable MessageDtos.PollView poll,
                                  @Nullable MessageDtos.ReactionView reaction,
                                  @Doc("True when the chat is a group") boolean isGroup,
                                  @Doc("A media message as the phone read it from the wire: its MIME type, "
                                          + "file name, ptt/gif/animated, a voice note's duration_s and waveform, "
                                          + "a document's page_count (the file itself is at …/media/{message_id})")
                                  @Nullable MessageDtos.MediaView media,
                                  @Doc("The id of the message this one quotes (a reply)") @Nullable String replyTo) {
        public static ReceivedMessage of(SandboxMessage message) {
            var body = message.body().orElse(null);
            return new ReceivedMessage(message.id(), message.chatJid(), message.fromMe(),
                    new Sender(message.senderJid(), message.senderLid(), message.senderPushName()),
                    message.timestamp(), body == null ? "unknown" : body.type(),
                    body instanceof Message.Text t ? t.text() : null,
                    body instanceof Message.Location l ? new MessageDtos.LocationView(l.latitude(), l.longitude(),
                            l.name().orElse(null), l.address().orElse(null)) : null,
                    body instanceof Message.Contacts c ? c.contacts().stream().map(card -> new MessageDtos.CardView(
                            card.name(), card.phones(), card.org().orElse(null), card.email().orElse(null))).toList()
                            : null,
                    body instanceof Message.Poll p ? new MessageDtos.PollView(p.question(), p.options(), p.multiple())
                            : null,
                    body instanceof Message.Reaction r ? new MessageDtos.ReactionView(r.messageId().value(), r.emoji())
                            : null,
                    message.chatJid().endsWith("@g.us"),
                    body instanceof Message.Media media ? MessageDtos.MediaView.of(media.media()) : null,
                    message.replyTo().orElse(null));
        }
    }

    @Doc("A receipt the phone saw for one of its own messages")
    public record Receipt(@Doc("The id of the phone's message") String messageId,
                          @Doc("The device JID that sent the receipt") String from,
                          @Doc("delivered, read, played, or the wire's receipt type for any other kind")
                          @Example("delivered") String type,
                          @Doc("When the server stamped the receipt") Instant at) {
        public static Receipt of(SandboxReceipt receipt) {
            return new Receipt(receipt.messageId(), receipt.from(), receipt.type(), receipt.at());
        }
    }

    public record Inbox(boolean success,
                        @Doc("What the phone received, decrypted, oldest first") List<ReceivedMessage> messages,
                        @Doc("The receipts the phone saw for the messages it sent, oldest first")
                        List<Receipt> receipts) {
        public static Inbox of(SandboxInbox inbox) {
            return new Inbox(true, inbox.messages().stream().map(ReceivedMessage::of).toList(),
                    inbox.receipts().stream().map(Receipt::of).toList());
        }
    }

    public record MarkRead(@Doc("The chat: the sender's number (digits or +E.164) or phone JID")
                           @Example("5511987650002") String chat,
                           @Doc("The ids of the messages read") @Example("[\"3EB0C431C26A1916E07F\"]")
                           List<String> messageIds) {}

    public record Done(boolean success) {}

    public record SeedHistory(@Doc("Messages to add to the phone's history (1-100000)") @Example("50") Integer count,
                              @Doc("Chats they are spread over (1-1000, at most count; default 1), each with a "
                                      + "made-up person (number 1555000xxxx, a push name and a LID)")
                              @Example("5") Integer chats) {}

    public record HistorySeeded(boolean success, @Doc("Messages the phone's history holds now") int messages) {}

    public record ExpireMedia(
            @Doc("The file's direct path on the media host (as a media message carries it); or give phone")
            @Example("/v/t62.image/AbCdEf") String directPath,
            @Doc("Expire every file this phone's account uploaded (digits); or give direct_path")
            @Example("5511987650001") String phone) {}

    public record MediaExpired(boolean success, @Doc("How many files expired") int expired) {}

    public record Call(@Doc("The callee: a sandbox phone's number (digits or +E.164) or its phone JID")
                       @Example("5511987650002") String to) {}

    public record CallId(@Doc("The call's id, as the callee's devices see it in the offer") String id) {}

    public record CallPlaced(boolean success, CallId call) {}

    @Doc("A call signal or chat state a phone was sent")
    public record Signal(@Doc("For calls: offer, accept, reject or terminate; for chat states: composing, "
                                  + "recording or paused") @Example("reject") String type,
                         @Doc("The call's id (calls only)") @Nullable String callId,
                         @Doc("The sending account's JID (with device for a companion's call signal)")
                         String from,
                         @Doc("When it reached the phone") Instant at) {
        public static Signal of(SandboxSignal signal) {
            return new Signal(signal.type(), signal.callId(), signal.from(), signal.at());
        }
    }

    public record CallSignals(boolean success, @Doc("Oldest first") List<Signal> calls) {}

    public record PhonePresence(@Doc("A sandbox number (digits, +E.164 or phone JID); only with a chat state")
                                @Example("5511987650002") @Nullable String to,
                                @Doc("available, unavailable, composing, recording or paused")
                                @Example("composing") String state) {}

    @Doc("An account's presence as the sandbox network holds it")
    public record AccountPresence(@Doc("The account's phone JID") String jid,
                                  @Doc("available or unavailable; null when it never announced one")
                                  @Nullable String state) {}

    public record PresenceSeen(boolean success, @Doc("The chat states sent to the phone, oldest first")
                               List<Signal> chatStates,
                               @Doc("The presence of the account asked with ?of=; null without it")
                               @Nullable AccountPresence presence) {
        public static PresenceSeen of(ponte.application.port.in.SandboxUseCase.SandboxPresence seen) {
            return new PresenceSeen(true, seen.chatStates().stream().map(Signal::of).toList(),
                    seen.of() == null ? null : new AccountPresence(seen.of(),
                            seen.available().map(up -> up ? "available" : "unavailable").orElse(null)));
        }
    }

    public record CreateGroup(@Doc("The group's name") @Example("Família") String subject,
                              @Doc("The other members: sandbox phones' numbers (digits or +E.164) or phone JIDs")
                              @Example("[\"5511987650002\"]") List<String> participants) {}

    public record Group(@Doc("The group's JID, id@g.us") String jid, String subject,
                        @Doc("The members' numbers, the creator (its admin) first") List<String> participants) {
        public static Group of(SandboxGroup group) {
            return new Group(group.jid(), group.subject(), group.participants());
        }
    }

    public record GroupCreated(boolean success, Group group) {}

    public record Groups(boolean success, List<Group> groups) {}

    @Doc("What the phone's user changes in the group; absent fields stay as they are")
    @Example("{\"subject\": \"Família Silva\"}")
    public record UpdateGroup(@Doc("A new name, 1-100 characters") @Nullable String subject,
                              @Doc("A new description; empty deletes it") @Nullable String description,
                              @Doc("Only admins send (the phone must be an admin)") @Nullable Boolean announce,
                              @Doc("Only admins edit the group's info (the phone must be an admin)")
                              @Nullable Boolean locked) {}

    @Example("{\"action\": \"add\", \"participants\": [\"5511987650002\"]}")
    public record GroupParticipants(@Doc("add, remove, promote or demote") String action,
                                    @Doc("Sandbox phones' numbers (digits or +E.164) or phone JIDs")
                                    List<String> participants) {}

    public record ParticipantStatus(@Doc("The participant as given") String participant,
                                    @Doc("The server's answer: 200 applied, 404 not a member (or no account), 408 "
                                            + "left moments ago, 409 already a member") int status) {}

    public record ParticipantsChanged(boolean success, List<ParticipantStatus> data) {}

    public record Invite(boolean success, @Doc("The group's invite code") String code,
                         @Doc("The invite link") String url) {}

    @Example("{\"groupadd\": \"none\"}")
    public record Privacy(@Doc("Who may add the phone to groups: all, or none (an admin's add is answered 403 for "
            + "it; it may still join by an invite link)") String groupadd) {}

    @Example("{\"code\": \"AbCdEfGhIjKlMnOpQrStUv\"}")
    public record JoinGroup(@Doc("An invite code, or its https://chat.whatsapp.com/ link") String code) {}

    public record SaveContact(@Doc("The contact: a number (digits or +E.164) or phone JID") @Example("5511987650002")
                              String jid,
                              @Doc("The full name the address book saves") @Example("Bia Lima") String name) {}

    public record AddressBookEntry(@Doc("The contact's phone JID") String jid, @Doc("The saved full name") String name) {}

    public record AddressBook(boolean success, List<AddressBookEntry> contacts) {}

    public record ChangeChat(@Doc("The chat: a number (digits or +E.164), phone JID or group JID")
                             @Example("5511987650002") String chat,
                             @Doc("Archive (true) or unarchive the chat") @Example("true") @Nullable Boolean archived,
                             @Doc("Pin (true) or unpin the chat") @Example("true") @Nullable Boolean pinned,
                             @Doc("Mute (true) or unmute the chat") @Example("true") @Nullable Boolean muted,
                             @Doc("With muted: until when; absent mutes for ever") @Example("\"2030-01-01T00:00:00Z\"")
                             @Nullable java.time.Instant mutedUntil) {}

    public record EditLabel(@Doc("The label's name") @Example("New customer") String name,
                            @Doc("WhatsApp's colour index, 0 to 19") @Example("3") Integer color) {}

    public record Label(@Doc("WhatsApp's id of the label") String id, String name,
                        @Doc("Colour index, 0 to 19") int color) {}

    public record Labels(boolean success, List<Label> labels) {}

    public record LabelChat(@Doc("The chat: a number (digits or +E.164), phone JID or group JID")
                            @Example("5511987650002") String chat,
                            @Doc("Label one message of the chat instead of the chat") @Nullable String messageId,
                            @Doc("false takes the label off; default true") @Nullable Boolean labeled) {}
}
