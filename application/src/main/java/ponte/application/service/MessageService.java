package ponte.application.service;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import ponte.application.error.ConflictException;
import ponte.application.error.NotConnectedException;
import ponte.application.error.NotFoundException;
import ponte.domain.message.MediaContent;
import ponte.domain.message.OutgoingContent;
import ponte.domain.message.TextContent;
import ponte.application.model.ChatRead;
import ponte.application.model.ChatSummary;
import ponte.application.model.Contact;
import ponte.application.model.ContactCheck;
import ponte.application.model.Page;
import ponte.application.model.PageRequest;
import ponte.application.model.QueuedMessage;
import ponte.application.model.StoredMessage;
import ponte.application.port.in.MessagesUseCase;
import ponte.application.port.out.IdempotencyKeys;
import ponte.application.port.out.MessageStore;
import ponte.application.port.out.MessagingPort;
import ponte.application.port.out.OutgoingQueue;
import ponte.application.port.out.RandomSource;
import ponte.application.port.out.Transactions;
import ponte.domain.auth.Principal;
import ponte.domain.instance.Instance;
import ponte.domain.message.Jid;
import ponte.domain.message.Message;
import ponte.domain.message.MessageId;
import ponte.domain.message.MessageStatus;
import ponte.domain.message.OutgoingMessage;
import ponte.domain.message.OutgoingStatus;
import ponte.domain.message.Recipient;
import ponte.domain.message.Sender;
import ponte.domain.validation.ValidationException;
import ponte.domain.validation.Violations;

/**
 * Sends through the durable queue, reads the store, marks chats read and checks numbers (API.md "Messages").
 *
 * <p>A number is checked with the server before anything is queued. When the instance is linked but offline at that
 * moment the number cannot be checked: the send is queued to its first candidate JID and checked by the sender when
 * the instance is online again; a number the server does not know then ends the message {@code failed} ("is not on
 * WhatsApp") with a {@code message.status} event. The same holds for a group: membership is checked when online,
 * otherwise the server's answer to the send decides. Read receipts of a chat marked read while offline are kept and
 * go out when the instance is next online.
 */
final class MessageService implements MessagesUseCase {
    /** How long an idempotency key names its message (API.md). */
    static final Duration IDEMPOTENCY_WINDOW = Duration.ofHours(24);
    static final int MAX_CONTACT_CHECKS = 50;
    /** How often a waiting send looks at the store, for outcomes recorded on another node. */
    private static final Duration WAIT_POLL = Duration.ofMillis(250);

    private final InstanceAccess access;
    private final MessageStore store;
    private final OutgoingQueue queue;
    private final IdempotencyKeys keys;
    private final MessagingPort messaging;
    private final Transactions transactions;
    private final RandomSource random;
    private final MessageSignals signals;
    private final MessagingSettings settings;
    private final PresenceLookup presence;
    private final MediaMessages media;
    private final Clock clock;

    /** What the session heard of a person's presence ({@link ponte.application.port.out.PresencePort#presence}). */
    @FunctionalInterface
    interface PresenceLookup {
        Optional<ponte.application.model.ContactPresence> presence(java.util.UUID instanceId, Jid person);
    }

    MessageService(InstanceAccess access, MessageStore store, OutgoingQueue queue, IdempotencyKeys keys,
                   MessagingPort messaging, Transactions transactions, RandomSource random, MessageSignals signals,
                   MessagingSettings settings, Clock clock) {
        this(access, store, queue, keys, messaging, (instanceId, person) -> Optional.empty(), transactions, random,
                signals, settings, clock);
    }

    /** {@code presence} tells what a session heard of a contact's presence, for {@link #contact}. */
    MessageService(InstanceAccess access, MessageStore store, OutgoingQueue queue, IdempotencyKeys keys,
                   MessagingPort messaging, PresenceLookup presence, Transactions transactions, RandomSource random,
                   MessageSignals signals, MessagingSettings settings, Clock clock) {
        this(access, store, queue, keys, messaging, presence, transactions, random, signals, settings, clock, null);
    }

    /** {@code media}: the intake and media store of media sends (null: media sends are refused). */
    MessageService(InstanceAccess access, MessageStore store, OutgoingQueue queue, IdempotencyKeys keys,
                   MessagingPort messaging, PresenceLookup presence, Transactions transactions, RandomSource random,
                   MessageSignals signals, MessagingSettings settings, Clock clock, MediaMessages media) {
        this.media = media;
        this.presence = presence;
        this.access = access;
        this.store = store;
        this.queue = queue;
        this.keys = keys;
        this.messaging = messaging;
        this.transactions = transactions;
        this.random = random;
        this.signals = signals;
        this.settings = settings;
        this.clock = clock;
    }

    @Override
    public QueuedMessage send(Principal caller, String idOrName, OutgoingMessage message,
                              Optional<Duration> waitForAck) {
        var instance = access.resolve(caller, idOrName);
        var to = shown(message.to());
        var earlier = message.idempotencyKey()
                .flatMap(key -> keys.find(instance.id(), key, clock.instant().minus(IDEMPOTENCY_WINDOW)));
        if (earlier.isPresent()) {
            requireSameMessage(instance, earlier.get(), message);
            return answer(instance, earlier.get(), to, waitForAck);
        }
        if (!instance.hasPaired()) {
            throw new NotConnectedException("instance '" + instance.name().value() + "' is not linked to a "
                    + "WhatsApp account (never paired, or logged out): connect it and link it with the QR code or a "
                    + "pairing code first");
        }
        var target = resolve(instance, message.to());
        if (target.chat().isPhone() && target.chat().user().equals(instance.account().phoneNumber())) {
            throw ValidationException.of("to", "is this instance's own number: messages to our own account are not "
                    + "supported yet");
        }
        var quoted = message.replyTo().map(id -> quote(instance, id, target.chat()));
        var mentions = message.mentions().stream().map(Recipient::jid).toList();
        var own = OwnAccount.of(instance);
        var now = clock.instant();
        var id = MessageId.generate(now, own.phone(), random.nextBytes(MessageId.RANDOM_BYTES));
        MessagingPort.WireContent wire;
        Message.Body body;
        if (message.content() instanceof MediaContent mediaContent) {
            if (media == null) {
                throw mediaNotYet(mediaContent);
            }
            // checked and kept in the media store before anything is queued: a refused file queues nothing
            var staged = media.stage(instance, id, now, mediaContent);
            wire = staged.wire();
            body = staged.body();
        } else {
            wire = wireContent(instance, message.content(), target.chat());
            body = body(message.content());
        }
        var stored = new Message(id, target.chat(), true, own.sender(), now, MessageStatus.QUEUED,
                body, quoted.map(q -> new Message.Quoted(q.id(), q.sender())), mentions,
                target.chat().isGroup() ? Optional.of(own.phone()) : Optional.empty(), false);
        var send = new OutgoingQueue.Send(wire, quoted, mentions, target.verify());
        var holder = enqueue(instance, stored, send, message.idempotencyKey());
        if (holder.isPresent()) {
            requireSameMessage(instance, holder.get(), message);
        }
        return answer(instance, holder.orElse(id), to, waitForAck);
    }

    /**
     * Edits our own message. The message is read, checked and changed under its row lock in the transaction that
     * queues the edit, so an edit racing a revoke (or another edit) sees the other's outcome: after a revoke it is
     * refused, and it never writes back a state read before the revoke.
     */
    @Override
    public QueuedMessage edit(Principal caller, String idOrName, String messageId, String text) {
        var instance = access.resolve(caller, idOrName);
        var id = find(instance, messageId).map(s -> s.message().id()).orElseThrow(() -> notFound(messageId));
        return transactions.inTransaction(() -> {
            var original = store.lock(instance.id(), id).map(MessageStore.Stored::message)
                    .orElseThrow(() -> notFound(messageId));
            var problems = new Violations();
            problems.check(original.fromMe(), "message_id", "only messages this instance's account sent can be "
                    + "edited");
            problems.check(!original.revoked(), "message_id", "the message was deleted for everyone");
            problems.check(original.revoked() || original.body() instanceof Message.Text
                            || original.body() instanceof Message.Media media
                            && media.kind() != ponte.domain.message.MediaType.AUDIO
                            && media.kind() != ponte.domain.message.MediaType.STICKER, "message_id",
                    "only texts and the captions of images, videos and documents can be edited");
            problems.check(!clock.instant().isAfter(original.timestamp().plus(EDIT_WINDOW)), "message_id",
                    "messages can be edited for " + EDIT_WINDOW.toMinutes() + " minutes after they were sent");
            problems.throwIfAny();
            var edit = new OutgoingContent.Edit(original.id(), text); // validates the text as a text send's
            var changed = original.edited(editedBody(original.body(), edit.text()), clock.instant());
            return change(instance, original, changed,
                    new MessagingPort.WireContent.Edit(original.id(), edit.text()));
        });
    }

    /**
     * Revokes our own message for everyone, under its row lock as {@link #edit} does: of concurrent revokes one is
     * queued and the others are refused (the message was revoked already), and an edit that commits first is
     * followed by a revoke that keeps the {@code revoked} flag. The revoked message's stored file is removed once
     * the revoke is committed.
     */
    @Override
    public QueuedMessage revoke(Principal caller, String idOrName, String messageId) {
        var instance = access.resolve(caller, idOrName);
        var id = find(instance, messageId).map(s -> s.message().id()).orElseThrow(() -> notFound(messageId));
        return transactions.inTransaction(() -> {
            var original = store.lock(instance.id(), id).map(MessageStore.Stored::message)
                    .orElseThrow(() -> notFound(messageId));
            var problems = new Violations();
            problems.check(original.fromMe(), "message_id", "only messages this instance's account sent can be "
                    + "deleted for everyone");
            problems.check(!original.revoked(), "message_id", "the message was deleted for everyone already");
            problems.check(original.revoked() || !(original.body() instanceof Message.Revoked), "message_id",
                    "the message is itself a deletion");
            problems.check(!(original.body() instanceof Message.Reaction), "message_id",
                    "a reaction is not deleted: send a reaction to the same message with emoji \"\" to remove it");
            problems.throwIfAny();
            var target = new MessagingPort.Target(original.id(), original.fromMe(), original.participant());
            var queued = change(instance, original, original.asRevoked(),
                    new MessagingPort.WireContent.Revoke(target));
            if (media != null && original.body() instanceof Message.Media) {
                transactions.afterCommit(() -> media.forget(instance, original.id()));
            }
            return queued;
        });
    }

    /**
     * Queues an edit or revoke of {@code original} (a protocol message with its own id, to the original's chat,
     * stored as a change: not listed in the chat's history) and stores the original as changed. Joins the caller's
     * transaction, which holds the original's row lock.
     */
    private QueuedMessage change(Instance instance, Message original, Message changed,
                                 MessagingPort.WireContent wire) {
        if (!instance.hasPaired()) {
            throw notConnected(instance);
        }
        var own = OwnAccount.of(instance);
        var now = clock.instant();
        var id = MessageId.generate(now, own.phone(), random.nextBytes(MessageId.RANDOM_BYTES));
        var chat = original.chatJid();
        var body = wire instanceof MessagingPort.WireContent.Edit edit ? (Message.Body) new Message.Text(edit.text())
                : new Message.Revoked();
        // filed at its original's time: the protocol message is no chat's newest message
        var protocol = new Message(id, chat, true, own.sender(), original.timestamp(), MessageStatus.QUEUED, body,
                Optional.empty(), List.of(), chat.isGroup() ? Optional.of(own.phone()) : Optional.empty(), false);
        var send = new OutgoingQueue.Send(wire, Optional.empty(), List.of(), List.of());
        store.replace(instance.id(), changed);
        enqueue(instance, protocol, send, Optional.empty(), now, true);
        return answer(instance, id, chat.toString(), Optional.empty());
    }

    private static Message.Body editedBody(Message.Body original, String text) {
        return original instanceof Message.Media media
                ? new Message.Media(media.kind(), media.media(), Optional.of(text), media.viewOnce())
                : new Message.Text(text);
    }

    /** The stored body of a send: what the message object shows of it. */
    private static Message.Body body(OutgoingContent content) {
        return switch (content) {
            case TextContent text -> new Message.Text(text.text());
            case Message.Location location -> location;
            case Message.Contacts contacts -> contacts;
            case Message.Reaction reaction -> reaction;
            case Message.Poll poll -> poll;
            case MediaContent media -> throw mediaNotYet(media);
            case OutgoingContent.Edit edit -> new Message.Text(edit.text());
            case OutgoingContent.Revoke ignored -> new Message.Revoked();
        };
    }

    /**
     * What the wire sends for a send's content; a reaction's target must be a stored message of the chat (else 404,
     * nothing queued), whose key (author, ours or not) the reaction names.
     */
    private MessagingPort.WireContent wireContent(Instance instance, OutgoingContent content, Jid chat) {
        return switch (content) {
            case TextContent text -> new MessagingPort.WireContent.Text(text.text(), text.linkPreview());
            case Message.Location location -> new MessagingPort.WireContent.Location(location);
            case Message.Contacts contacts -> new MessagingPort.WireContent.Contacts(contacts.contacts());
            case Message.Reaction reaction -> new MessagingPort.WireContent.Reaction(
                    liveTarget(instance, reaction.messageId(), chat, "message_id"), reaction.emoji());
            case Message.Poll poll -> new MessagingPort.WireContent.Poll(poll.question(), poll.options(),
                    poll.multiple());
            case MediaContent media -> throw mediaNotYet(media);
            case OutgoingContent.Edit edit -> new MessagingPort.WireContent.Edit(edit.messageId(), edit.text());
            case OutgoingContent.Revoke revoke -> new MessagingPort.WireContent.Revoke(
                    target(instance, revoke.messageId(), chat, "message_id"));
        };
    }

    /** Media sends need the media intake; a service built without it refuses them. */
    private static ValidationException mediaNotYet(MediaContent media) {
        return ValidationException.of("type", "sending " + media.type() + " is not supported yet");
    }

    /** The stored message {@code id} of {@code chat} as the wire's message key names it; 404 when unknown. */
    private MessagingPort.Target target(Instance instance, MessageId id, Jid chat, String field) {
        var stored = store.find(instance.id(), id).map(MessageStore.Stored::message)
                .filter(m -> sameChat(m, chat))
                .orElseThrow(() -> new NotFoundException(field + " '" + id + "' is not a message of the chat "
                        + chat));
        return new MessagingPort.Target(stored.id(), stored.fromMe(), stored.participant());
    }

    /** As {@link #target}, for a message that must still be there: one deleted for everyone is a 400. */
    private MessagingPort.Target liveTarget(Instance instance, MessageId id, Jid chat, String field) {
        var target = target(instance, id, chat, field);
        store.find(instance.id(), id).ifPresent(s -> refuseDead(instance, s.message(), field, "reacted to"));
        return target;
    }

    /**
     * Refuses (400 on {@code field}) a message that can no longer be {@code what} (replied to, reacted to): one
     * deleted for everyone, or a protocol message (a reaction, poll vote, edit or revoke: a change to another message,
     * which WhatsApp shows as no message of its own).
     */
    private void refuseDead(Instance instance, Message stored, String field, String what) {
        if (stored.revoked()) {
            throw ValidationException.of(field, "'" + stored.id() + "' was deleted for everyone");
        }
        if (stored.body() instanceof Message.Revoked || store.isChange(instance.id(), stored.id())) {
            throw ValidationException.of(field, "'" + stored.id() + "' is a protocol message (a reaction, poll vote, "
                    + "edit or deletion), which cannot be " + what);
        }
    }

    /** Whether a stored message belongs to {@code chat} (for a person, written by or to them under either name). */
    private static boolean sameChat(Message m, Jid chat) {
        return m.chatJid().equals(chat) || !chat.isGroup() && !m.isGroup()
                && (m.sender().jid().equals(Optional.of(chat)) || m.sender().lid().equals(Optional.of(chat)));
    }

    /**
     * Stores {@code stored} as queued and puts it on the outgoing queue, in one transaction, unless {@code key} was
     * used within the window: then nothing is queued and the message holding the key is returned.
     */
    private Optional<MessageId> enqueue(Instance instance, Message stored, OutgoingQueue.Send send,
                                        Optional<ponte.domain.message.IdempotencyKey> key) {
        return enqueue(instance, stored, send, key, stored.timestamp(),
                MessageStore.changesAnother(stored.body()));
    }

    /**
     * As above, queued at {@code now} (which may differ from the message's own time); {@code change}: the message
     * changes another (stored so, out of the chat's history).
     */
    private Optional<MessageId> enqueue(Instance instance, Message stored, OutgoingQueue.Send send,
                                        Optional<ponte.domain.message.IdempotencyKey> key, Instant now,
                                        boolean change) {
        var id = stored.id();
        return transactions.inTransaction(() -> {
            var taken = key.flatMap(k -> keys.claim(instance.id(), k, id, now, now.minus(IDEMPOTENCY_WINDOW)));
            if (taken.isPresent()) {
                return taken;
            }
            store.insert(instance.tenantId(), instance.id(), stored,
                    Optional.of(OutgoingStatus.queued(id, stored.chatJid(), now)), now, change);
            queue.enqueue(instance.id(), stored.chatJid(), id, send, now);
            transactions.afterCommit(signals::wakeSender);
            return Optional.<MessageId>empty();
        });
    }

    /**
     * Queues a plain text from the instance to {@code chat} (a person's JID the server gave us, so no number check)
     * through the same durable, paced path as an API send; {@code key} makes a repeat (the same trigger handed over
     * twice) queue nothing. Joins the caller's transaction. Returns the queued message's id, or the one holding the
     * key.
     */
    MessageId queueText(Instance instance, Jid chat, String text, ponte.domain.message.IdempotencyKey key) {
        var own = OwnAccount.of(instance);
        var now = clock.instant();
        var id = MessageId.generate(now, own.phone(), random.nextBytes(MessageId.RANDOM_BYTES));
        var stored = new Message(id, chat, true, own.sender(), now, MessageStatus.QUEUED, new Message.Text(text),
                Optional.empty(), List.of(), Optional.empty(), false);
        var send = new OutgoingQueue.Send(text, false, Optional.empty(), List.of(), List.of());
        return enqueue(instance, stored, send, Optional.of(key)).orElse(id);
    }

    /**
     * An idempotency key replays the message it was first used for; a different text or recipient under the same key
     * is the caller's mistake, answered 409 rather than silently dropped.
     */
    private void requireSameMessage(Instance instance, MessageId earlier, OutgoingMessage message) {
        var stored = store.find(instance.id(), earlier).map(MessageStore.Stored::message).orElseThrow();
        // a media send is compared by what the caller can see of it (kind and caption): its stored body carries
        // what the intake made of the file, which a replay does not fetch or decode again
        var sameText = message.content() instanceof MediaContent sentMedia
                ? stored.body() instanceof Message.Media kept && kept.kind() == sentMedia.kind()
                        && kept.caption().equals(sentMedia.caption())
                : stored.body().equals(body(message.content()));
        var sameRecipient = switch (message.to()) {
            case Recipient.Phone phone -> phone.candidates().stream()
                    .anyMatch(candidate -> candidate.user().equals(stored.chatJid().user()))
                    || stored.chatJid().isLid();
            case Recipient.Lid lid -> lid.jid().equals(stored.chatJid()) || stored.chatJid().isPhone();
            case Recipient.Group group -> group.jid().equals(stored.chatJid());
        };
        if (!sameText || !sameRecipient) {
            throw new ConflictException("idempotency key '" + message.idempotencyKey().orElseThrow().value()
                    + "' was used within 24 hours for another message (" + earlier + ", to " + stored.chatJid()
                    + "); use a new key for a different message");
        }
    }

    @Override
    public StoredMessage get(Principal caller, String idOrName, String messageId) {
        var instance = access.resolve(caller, idOrName);
        return find(instance, messageId).map(MessageService::stored).orElseThrow(() -> notFound(messageId));
    }

    static StoredMessage stored(MessageStore.Stored s) {
        return new StoredMessage(s.message(), s.outgoing().map(OutgoingStatus::history).orElse(List.of()));
    }

    /**
     * A chat's JID as the API names it: a person (phone number or LID, no device), a group, or
     * {@code status@broadcast}, the chat of the status updates GET /chats lists.
     */
    private static Jid chat(String chatJid) {
        return Jid.parse(chatJid).filter(j -> !j.hasDevice()
                        && (j.isPhone() || j.isLid() || j.isGroup() || j.isStatusBroadcast()))
                .orElseThrow(() -> ValidationException.of("jid", "'" + chatJid + "' is not a chat: use "
                        + "<number>@s.whatsapp.net, <lid>@lid, <group>@g.us or status@broadcast"));
    }

    @Override
    public Page<ChatSummary> chats(Principal caller, String idOrName, PageRequest page) {
        var instance = access.resolve(caller, idOrName);
        return store.chats(instance.id(), page);
    }

    @Override
    public Page<StoredMessage> chatMessages(Principal caller, String idOrName, String chatJid, PageRequest page) {
        var instance = access.resolve(caller, idOrName);
        var chat = chat(chatJid);
        if (page.cursor() != null && !page.cursor().matches("[0-9A-Za-z._:-]{1,128}")) {
            throw ValidationException.of("before", "'" + page.cursor() + "' is not a message id");
        }
        var stored = store.chatMessages(instance.id(), chat, page);
        return new Page<>(stored.items().stream().map(MessageService::stored).toList(), stored.nextCursor());
    }

    @Override
    public Page<Contact> contacts(Principal caller, String idOrName, PageRequest page) {
        var instance = access.resolve(caller, idOrName);
        return store.contacts(instance.id(), page);
    }

    @Override
    public Contact contact(Principal caller, String idOrName, String jid) {
        var instance = access.resolve(caller, idOrName);
        var person = Jid.parse(jid).or(() -> jid.matches("\\+?\\d{5,20}")
                        ? Optional.of(Jid.phone(jid.replace("+", ""))) : Optional.empty())
                .filter(j -> !j.hasDevice() && (j.isPhone() || j.isLid()))
                .orElseThrow(() -> ValidationException.of("jid", "'" + jid + "' is not a person: use "
                        + "<number>@s.whatsapp.net, <lid>@lid or the phone number"));
        var stored = store.contact(instance.id(), person);
        var heard = stored.map(c -> presence.presence(instance.id(), c.jid())
                        .or(() -> c.lid().flatMap(lid -> presence.presence(instance.id(), lid))))
                .orElseGet(() -> presence.presence(instance.id(), person));
        // a person we only heard the presence of (subscribed to) is a contact too, named as asked
        return stored.map(c -> c.withPresence(heard))
                .or(() -> heard.map(p -> new Contact(person, person.isLid() ? Optional.of(person) : Optional.empty(),
                        person.isPhone() ? Optional.of(person.user()) : Optional.empty(), Optional.empty(),
                        Optional.empty(), Optional.of(p))))
                .orElseThrow(() -> new NotFoundException("contact '" + jid + "' not found: no message from them "
                        + "was stored and no presence of theirs was heard"));
    }

    @Override
    public ChatRead markChatRead(Principal caller, String idOrName, String chatJid) {
        var instance = access.resolve(caller, idOrName);
        var chat = chat(chatJid);
        var marked = transactions.inTransaction(() -> {
            var read = store.markChatRead(instance.id(), chat, clock.instant());
            if (!read.isEmpty()) {
                // the sender sends the receipts now when the instance is online here, otherwise once it is
                transactions.afterCommit(signals::wakeSender);
            }
            return read;
        });
        return new ChatRead(chat, marked.size());
    }

    @Override
    public List<ContactCheck> checkContacts(Principal caller, String idOrName, List<String> numbers) {
        var instance = access.resolve(caller, idOrName);
        var problems = new Violations();
        var given = numbers == null ? List.<String>of() : numbers;
        problems.check(!given.isEmpty() && given.size() <= MAX_CONTACT_CHECKS, "numbers",
                "must list 1-" + MAX_CONTACT_CHECKS + " phone numbers; got " + given.size());
        var phones = new ArrayList<Recipient.Phone>();
        for (int i = 0; i < given.size() && i < MAX_CONTACT_CHECKS; i++) {
            var field = "numbers[" + i + "]";
            try {
                if (Recipient.parse(field, given.get(i)) instanceof Recipient.Phone phone) {
                    phones.add(phone);
                } else {
                    problems.add(field, "must be a phone number (digits or +E.164) or a …@s.whatsapp.net JID");
                }
            } catch (ValidationException e) {
                e.violations().forEach(v -> problems.add(v.field(), v.problem()));
            }
        }
        problems.throwIfAny();
        if (!instance.hasPaired()) {
            throw notConnected(instance);
        }
        var asked = new LinkedHashSet<Jid>();
        phones.forEach(phone -> asked.addAll(phone.candidates()));
        List<MessagingPort.ContactLookup> answers;
        try {
            answers = messaging.lookup(instance.id(), List.copyOf(asked), settings.lookupWait());
        } catch (MessagingPort.Offline offline) {
            throw notConnected(instance);
        }
        var checks = new ArrayList<ContactCheck>();
        for (int i = 0; i < phones.size(); i++) {
            var input = given.get(i);
            checks.add(firstExisting(phones.get(i), answers)
                    .map(a -> new ContactCheck(input, true, Optional.of(a.jid().orElse(a.asked())), a.lid()))
                    .orElse(new ContactCheck(input, false, Optional.empty(), Optional.empty())));
        }
        return checks;
    }

    /** Where a send goes, and the candidates still to check when the number could not be checked yet. */
    private record Target(Jid chat, List<Jid> verify) {}

    private Target resolve(Instance instance, Recipient to) {
        try {
            return switch (to) {
                case Recipient.Lid lid -> {
                    // like a number, a LID is checked with the server first: one nobody has is a 400, not a
                    // message accepted only to fail later
                    var answers = messaging.lookup(instance.id(), List.of(lid.jid()), settings.lookupWait());
                    if (firstExisting(List.of(lid.jid()), answers).isEmpty()) {
                        throw ValidationException.of("to", lid.jid() + " is not on WhatsApp");
                    }
                    yield new Target(lid.jid(), List.of());
                }
                case Recipient.Phone phone -> {
                    var answers = messaging.lookup(instance.id(), phone.candidates(), settings.lookupWait());
                    var found = firstExisting(phone, answers).orElseThrow(() -> ValidationException.of("to",
                            "+" + phone.digits() + " is not on WhatsApp"));
                    yield new Target(found.jid().orElse(found.asked()), List.of());
                }
                case Recipient.Group group -> {
                    var members = messaging.group(instance.id(), group.jid(), settings.lookupWait());
                    if (members.isEmpty()) {
                        throw ValidationException.of("to", group.jid() + " is not a group this instance is in");
                    }
                    yield new Target(group.jid(), List.of());
                }
            };
        } catch (MessagingPort.Refused refused) {
            throw ValidationException.of("to", refused.getMessage());
        } catch (MessagingPort.Offline offline) {
            // linked but offline: queue now, check when the instance is online (see the class comment)
            var verify = to instanceof Recipient.Phone phone ? phone.candidates() : List.<Jid>of();
            return new Target(to.jid(), verify);
        }
    }

    private static Optional<MessagingPort.ContactLookup> firstExisting(Recipient.Phone phone,
                                                                      List<MessagingPort.ContactLookup> answers) {
        return firstExisting(phone.candidates(), answers);
    }

    /** The server's answer for the first of {@code candidates} (best first) that is an account, if any. */
    static Optional<MessagingPort.ContactLookup> firstExisting(List<Jid> candidates,
                                                               List<MessagingPort.ContactLookup> answers) {
        for (var candidate : candidates) {
            for (var answer : answers) {
                if (answer.asked().equals(candidate) && answer.exists()) {
                    return Optional.of(answer);
                }
            }
        }
        return Optional.empty();
    }

    /** The message replied to must be one of this chat (for a person, written by or to them under either name). */
    private MessagingPort.Quote quote(Instance instance, MessageId id, Jid chat) {
        var stored = store.find(instance.id(), id).map(MessageStore.Stored::message)
                .filter(m -> sameChat(m, chat))
                .orElseThrow(() -> ValidationException.of("reply_to", "'" + id + "' is not a message of this chat"));
        refuseDead(instance, stored, "reply_to", "replied to");
        var sender = stored.sender().jid().or(() -> stored.sender().lid()).orElseThrow();
        var text = stored.body() instanceof Message.Text t ? Optional.of(t.text()) : Optional.<String>empty();
        return new MessagingPort.Quote(stored.id(), stored.participant().orElse(sender), text);
    }

    private QueuedMessage answer(Instance instance, MessageId id, String to, Optional<Duration> waitForAck) {
        var stored = waitForAck.map(wait -> awaitOutcome(instance, id, wait))
                .orElseGet(() -> store.find(instance.id(), id).orElseThrow(() -> notFound(id.value())));
        var message = stored.message();
        return new QueuedMessage(id, message.status(), to, message.chatJid(), message.body().type(),
                stored.outgoing().flatMap(OutgoingStatus::error));
    }

    /** Waits for the message to leave {@code queued}: woken by this node's sender, polling for other nodes'. */
    private MessageStore.Stored awaitOutcome(Instance instance, MessageId id, Duration wait) {
        long deadline = System.nanoTime() + wait.toNanos();
        while (true) {
            long seen = signals.outcomes();
            var stored = store.find(instance.id(), id).orElseThrow(() -> notFound(id.value()));
            long left = deadline - System.nanoTime();
            if (stored.message().status() != MessageStatus.QUEUED || left <= 0) {
                return stored;
            }
            try {
                signals.awaitOutcomeAfter(seen, Duration.ofNanos(Math.min(left, WAIT_POLL.toNanos())));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return stored;
            }
        }
    }

    private Optional<MessageStore.Stored> find(Instance instance, String messageId) {
        if (messageId == null || !messageId.matches("[0-9A-Za-z._:-]{1,128}")) {
            return Optional.empty();
        }
        return store.find(instance.id(), new MessageId(messageId));
    }

    /** The {@code to} of the answer: the number's digits, or the JID. */
    private static String shown(Recipient to) {
        return to instanceof Recipient.Phone phone ? phone.digits() : to.jid().toString();
    }

    private static NotFoundException notFound(String messageId) {
        return new NotFoundException("message '" + messageId + "' not found");
    }

    private static NotConnectedException notConnected(Instance instance) {
        return new NotConnectedException("instance '" + instance.name().value() + "' is not connected to "
                + "WhatsApp: numbers can only be checked while it is online");
    }

    /** The instance's own account, as its messages name it. */
    record OwnAccount(Jid phone, Sender sender) {
        static OwnAccount of(Instance instance) {
            var account = instance.account();
            var phone = Jid.phone(account.phoneNumber());
            var lid = Optional.ofNullable(account.lid())
                    .flatMap(text -> text.contains("@") ? Jid.parse(text) : Optional.of(Jid.lid(text)))
                    .filter(Jid::isLid).map(Jid::toNonDevice);
            return new OwnAccount(phone, new Sender(Optional.of(phone), lid,
                    Optional.ofNullable(account.pushName())));
        }
    }
}
