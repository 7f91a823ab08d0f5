package ponte.application.service;

import java.io.InputStream;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.Executor;
import java.util.concurrent.CompletableFuture;
import ponte.application.error.NotConnectedException;
import ponte.application.error.NotFoundException;
import ponte.application.error.UnauthorizedException;
import ponte.application.port.in.ChatwootSyncUseCase;
import ponte.application.port.in.MediaUseCase;
import ponte.application.port.in.MessagesUseCase;
import ponte.application.port.out.ChatwootApi;
import ponte.application.port.out.ChatwootStore;
import ponte.application.port.out.ChatwootSyncStore;
import ponte.application.port.out.IdGenerator;
import ponte.application.port.out.MessageStore;
import ponte.application.port.out.RandomSource;
import ponte.application.port.out.SecretCipher;
import ponte.application.port.out.SessionDirectory;
import ponte.domain.auth.Principal;
import ponte.domain.auth.TokenKind;
import ponte.domain.instance.Instance;
import ponte.domain.integration.ChatwootConfig;
import ponte.domain.message.Jid;
import ponte.domain.message.MediaType;
import ponte.domain.message.Message;
import ponte.domain.message.MessageId;
import ponte.domain.message.OutgoingMessage;
import ponte.domain.validation.ValidationException;
import ponte.domain.webhook.RetrySchedule;

/**
 * The Chatwoot mirror of an instance's chats, both ways.
 *
 * <p>WhatsApp → Chatwoot: every {@code message.exchange} of an instance with an enabled integration is queued in
 * the event's transaction ({@link ChatwootSyncStore#enqueue}); {@link #deliverDue} takes the oldest pending delivery
 * of each chat, finds or creates the contact (by phone number, also under its LID, so one person is one contact) and
 * the chat's one open conversation (a resolved one is reopened with {@code reopen_resolved}, else a new one is
 * opened; {@code conversation_pending} opens it pending), and creates the message: {@code incoming} from the contact,
 * {@code outgoing} for what the instance's account sent (phone or API), media as an attachment, a reply linked with
 * {@code in_reply_to}, edits, revokes and reactions as replies to their message, group messages in the group's own
 * conversation with the sender's name. Every message carries {@code source_id} {@code WAID:<whatsapp id>}, and the
 * WhatsApp id ↔ Chatwoot id mapping is stored: a redelivered message is created once, and a retry after a lost answer
 * looks the source id up before creating again. A failed attempt is retried on the webhook retry schedule.
 *
 * <p>Chatwoot → WhatsApp: {@link #receive} sends an agent's outgoing, non-private message through the outgoing queue
 * (idempotency key {@code chatwoot-<message id>}, so a webhook Chatwoot retries sends nothing twice); a message that
 * carries our {@code WAID:} source id, or whose id is mapped, is one we created and is not sent back. An agent reading
 * the conversation marks the chat read; a send that cannot go out becomes a private note in the conversation.
 */
final class ChatwootSyncService implements ChatwootSyncUseCase {
    static final String SOURCE_PREFIX = "WAID:";
    private static final Duration LEASE = Duration.ofMinutes(2);
    private static final int MAX_ERROR = 500;

    private final ChatwootStore configs;
    private final ChatwootSyncStore sync;
    private final ChatwootApi api;
    private final MessageStore messages;
    private final MessagesUseCase sender;
    private final MediaUseCase media;
    private final SessionDirectory directory;
    private final SecretCipher cipher;
    private final IdGenerator ids;
    private final RandomSource random;
    private final RetrySchedule schedule;
    private final Executor background;
    private final Clock clock;

    ChatwootSyncService(ChatwootStore configs, ChatwootSyncStore sync, ChatwootApi api, MessageStore messages,
                        MessagesUseCase sender, MediaUseCase media, SessionDirectory directory, SecretCipher cipher,
                        IdGenerator ids, RandomSource random, RetrySchedule schedule, Executor background,
                        Clock clock) {
        this.configs = configs;
        this.sync = sync;
        this.api = api;
        this.messages = messages;
        this.sender = sender;
        this.media = media;
        this.directory = directory;
        this.cipher = cipher;
        this.ids = ids;
        this.random = random;
        this.schedule = schedule;
        this.background = background;
        this.clock = clock;
    }

    @Override
    public int deliverDue(int max) {
        var now = clock.instant();
        var token = ids.newId();
        var due = sync.claim(max, now, now.plus(LEASE), token);
        // distinct chats: their deliveries may go side by side
        var running = new ArrayList<CompletableFuture<Void>>();
        for (var delivery : due) {
            running.add(CompletableFuture.runAsync(() -> attempt(delivery), background));
        }
        running.forEach(CompletableFuture::join);
        return due.size();
    }

    private void attempt(ChatwootSyncStore.Due delivery) {
        try {
            deliver(delivery);
            sync.recordAttempt(delivery.id(), delivery.claimToken(), null, null, clock.instant());
        } catch (RuntimeException e) {
            var now = clock.instant();
            var error = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
            error = error.length() <= MAX_ERROR ? error : error.substring(0, MAX_ERROR);
            // a request Chatwoot refuses as malformed fails the same way again: it must not hold its chat's queue
            var permanent = e instanceof ChatwootApi.Failure failure && failure.status() != null
                    && (failure.status() == 400 || failure.status() == 422);
            var next = permanent ? Optional.<java.time.Instant>empty()
                    : schedule.next(delivery.attempts() + 1, delivery.createdAt(), now, random.nextUnit());
            sync.recordAttempt(delivery.id(), delivery.claimToken(), error, next.orElse(null), now);
        }
    }

    /** One queued event into Chatwoot; returns normally when there is nothing (more) to do. */
    private void deliver(ChatwootSyncStore.Due delivery) {
        var stored = configs.find(delivery.tenantId(), delivery.instanceId())
                .filter(s -> s.config().enabled() && s.inboxId() != null);
        if (stored.isEmpty()) {
            return; // switched off or removed since: the mirror stops here
        }
        var target = new Target(delivery.instanceId(), stored.get().config(), stored.get().inboxId(),
                new ChatwootApi.Account(stored.get().config().baseUrl(), stored.get().config().accountId(),
                        cipher.openString(stored.get().sealedApiToken())));
        if ("failed".equals(delivery.kind())) {
            failedSend(target, delivery);
            return;
        }
        var found = messages.find(delivery.instanceId(), new MessageId(delivery.messageId()));
        if (found.isEmpty()) {
            return; // not kept (retention, ignored status or group): nothing to show
        }
        var message = found.get().message();
        if (message.isGroup() && target.config().ignoreGroups() || message.isStatus()) {
            return;
        }
        var key = mappingKey(delivery.kind(), message);
        if (sync.chatwootMessage(target.instanceId(), key).isPresent()) {
            return; // created before: a redelivery, or the echo of an agent's message we sent
        }
        var conversation = conversation(target, message);
        var sourceId = SOURCE_PREFIX + key;
        if (delivery.attempts() > 0) {
            // the previous attempt may have been created with its answer lost
            var existing = api.findMessage(target.account(), conversation, sourceId);
            if (existing.isPresent()) {
                sync.saveMessage(target.instanceId(), key, existing.get(), conversation, "whatsapp");
                return;
            }
        }
        var original = switch (delivery.kind()) {
            case "edited", "revoked" -> Optional.of(message.id());
            case "reaction" -> message.body() instanceof Message.Reaction r ? Optional.of(r.messageId())
                    : Optional.<MessageId>empty();
            default -> message.quoted().map(Message.Quoted::id);
        };
        var inReplyTo = original.flatMap(id -> sync.chatwootMessage(target.instanceId(), id.value())).orElse(null);
        var content = ChatwootContent.render(delivery.kind(), message, groupSender(target, message));
        InputStream file = null;
        ChatwootApi.Attachment attachment = null;
        if (message.body() instanceof Message.Media m && ("received".equals(delivery.kind())
                || "sent".equals(delivery.kind()))) {
            try {
                var opened = media.open(principal(delivery.tenantId(), delivery.instanceId()),
                        delivery.instanceId().toString(), message.id().value(), Optional.empty());
                file = opened.body();
                attachment = new ChatwootApi.Attachment(opened.fileName().or(() -> m.media().fileName())
                        .orElse(m.kind().wireName() + ChatwootContent.extension(opened.mimeType())),
                        opened.mimeType(), file);
            } catch (NotFoundException e) {
                content = content + (content.isEmpty() ? "" : "\n") + "[" + m.kind().wireName()
                        + ": the file could not be downloaded from WhatsApp]";
            }
        }
        try {
            var created = api.createMessage(target.account(), conversation, new ChatwootApi.NewMessage(
                    content.isEmpty() && attachment == null ? "[" + message.body().type() + "]" : content,
                    message.fromMe(), false, sourceId, inReplyTo, attachment));
            sync.saveMessage(target.instanceId(), key, created, conversation, "whatsapp");
        } finally {
            if (file != null) {
                try {
                    file.close();
                } catch (java.io.IOException ignored) {
                    // the upload is done; a close failure loses nothing
                }
            }
        }
    }

    /** The id a mirrored event is remembered by: a message by its own id, a change by the change. */
    private static String mappingKey(String kind, Message message) {
        return switch (kind) {
            case "edited" -> message.id().value() + ":edit:" + message.editedAt().map(Object::toString).orElse("");
            case "revoked" -> message.id().value() + ":revoke";
            default -> message.id().value();
        };
    }

    /** A send from Chatwoot failed after it was queued: a private note under the agent's message says so. */
    private void failedSend(Target target, ChatwootSyncStore.Due delivery) {
        var agentMessage = sync.chatwootMessage(target.instanceId(), delivery.messageId());
        // the agent's message is in its conversation, also one started in Chatwoot that no chat was mapped to yet
        var conversation = sync.messageConversation(target.instanceId(), delivery.messageId());
        if (agentMessage.isEmpty() || conversation.isEmpty()) {
            return; // not a message from Chatwoot
        }
        var key = delivery.messageId() + ":failed";
        if (sync.chatwootMessage(target.instanceId(), key).isPresent()) {
            return;
        }
        var note = api.createMessage(target.account(), conversation.get(), new ChatwootApi.NewMessage(
                "WhatsApp did not deliver this message: " + (delivery.detail() == null ? "the send failed"
                        : delivery.detail()), true, true, SOURCE_PREFIX + key, agentMessage.get(), null));
        sync.saveMessage(target.instanceId(), key, note, conversation.get(), "whatsapp");
    }

    /** The chat's open conversation: the mapped one (reopened, or replaced when resolved), or a new one. */
    private long conversation(Target target, Message message) {
        var chat = conversationKey(target, message);
        var status = target.config().conversationPending() ? "pending" : "open";
        var mapped = sync.conversation(target.instanceId(), chat);
        if (mapped.isPresent()) {
            var current = api.conversationStatus(target.account(), mapped.get());
            if (current.isPresent() && !"resolved".equals(current.get())) {
                return mapped.get();
            }
            if (current.isPresent() && target.config().reopenResolved()) {
                api.toggleStatus(target.account(), mapped.get(), status);
                return mapped.get();
            }
        }
        var contact = contact(target, message);
        var created = api.createConversation(target.account(), target.inboxId(), contact, chat, status);
        sync.saveConversation(target.instanceId(), chat, created);
        return created;
    }

    /**
     * The chat a conversation is kept under: a 1:1 chat by the person's phone JID when it is known, so that the same
     * person writing from an LID-addressed chat and from their number is one conversation; else the chat's JID.
     */
    private String conversationKey(Target target, Message message) {
        var chat = message.chatJid();
        if (!chat.isLid()) {
            return chat.toNonDevice().toString();
        }
        return messages.contact(target.instanceId(), chat).map(ponte.application.model.Contact::jid)
                .filter(Jid::isPhone)
                .or(() -> message.fromMe() ? Optional.empty() : message.sender().jid().filter(Jid::isPhone))
                .orElse(chat).toNonDevice().toString();
    }

    /**
     * The chat's contact: a group is a contact of its own; a person is found by every id we know them by (phone JID
     * and LID), then by phone number in Chatwoot, else created, and remembered under each id.
     */
    private long contact(Target target, Message message) {
        var chat = message.chatJid();
        var keys = new ArrayList<String>();
        String phone = null;
        String name;
        if (chat.isGroup()) {
            keys.add(chat.toString());
            name = "WhatsApp group " + chat.user();
        } else {
            var known = messages.contact(target.instanceId(), chat);
            var phoneJid = chat.isPhone() ? Optional.of(chat)
                    : known.map(ponte.application.model.Contact::jid).filter(Jid::isPhone)
                    .or(() -> message.fromMe() ? Optional.empty() : message.sender().jid().filter(Jid::isPhone));
            var lid = chat.isLid() ? Optional.of(chat) : known.flatMap(ponte.application.model.Contact::lid)
                    .or(() -> message.fromMe() ? Optional.empty() : message.sender().lid());
            phoneJid.ifPresent(j -> keys.add(j.toNonDevice().toString()));
            lid.ifPresent(j -> keys.add(j.toNonDevice().toString()));
            if (keys.isEmpty()) {
                keys.add(chat.toString());
            }
            phone = phoneJid.map(j -> "+" + j.user()).orElse(null);
            var pushName = message.fromMe() ? Optional.<String>empty() : message.sender().pushName();
            name = known.flatMap(ponte.application.model.Contact::name)
                    .or(() -> known.flatMap(ponte.application.model.Contact::pushName)).or(() -> pushName)
                    .orElse(phone != null ? phone : chat.user());
        }
        for (var key : keys) {
            var mapped = sync.contact(target.instanceId(), key);
            if (mapped.isPresent()) {
                keys.forEach(k -> sync.saveContact(target.instanceId(), k, mapped.get()));
                return mapped.get();
            }
        }
        var found = phone != null ? api.findContact(target.account(), phone) : api.findContact(target.account(),
                keys.getLast());
        var id = found.isPresent() ? found.get()
                : api.createContact(target.account(), target.inboxId(), name, phone, keys.getLast());
        keys.forEach(k -> sync.saveContact(target.instanceId(), k, id));
        return id;
    }

    /** In a group, who wrote: their name and number, shown above the text. */
    private Optional<String> groupSender(Target target, Message message) {
        if (!message.isGroup() || message.fromMe()) {
            return Optional.empty();
        }
        var number = message.sender().jid().filter(Jid::isPhone).map(j -> "+" + j.user());
        var name = message.sender().pushName();
        return Optional.of(name.map(n -> number.map(p -> n + " (" + p + ")").orElse(n))
                .or(() -> number).orElse(message.participant().map(Jid::user).orElse("someone")));
    }

    @Override
    public void checkSecret(UUID instanceId, String secret) {
        authenticated(instanceId, secret);
    }

    private ChatwootStore.Stored authenticated(UUID instanceId, String secret) {
        var instance = directory.findLive(instanceId)
                .orElseThrow(() -> new NotFoundException("instance " + instanceId + " not found"));
        var stored = configs.find(instance.tenantId(), instanceId)
                .orElseThrow(() -> new NotFoundException("instance " + instanceId + " has no Chatwoot integration"));
        if (secret == null || stored.sealedWebhookSecret() == null || !MessageDigest.isEqual(
                cipher.open(stored.sealedWebhookSecret()), secret.getBytes(java.nio.charset.StandardCharsets.UTF_8))) {
            throw new UnauthorizedException("the secret of this Chatwoot webhook URL is missing or wrong");
        }
        return stored;
    }

    @Override
    public Outcome receive(UUID instanceId, String secret, Webhook hook) {
        var stored = authenticated(instanceId, secret);
        var instance = directory.findLive(instanceId)
                .orElseThrow(() -> new NotFoundException("instance " + instanceId + " not found"));
        if (!stored.config().enabled() || stored.inboxId() == null) {
            return new Outcome(false, "the Chatwoot integration is disabled");
        }
        var target = new Target(instanceId, stored.config(), stored.inboxId(),
                new ChatwootApi.Account(stored.config().baseUrl(), stored.config().accountId(),
                        cipher.openString(stored.sealedApiToken())));
        return switch (hook.event() == null ? "" : hook.event()) {
            case "message_created" -> agentMessage(instance, target, hook);
            case "conversation_updated", "conversation_read" -> read(instance, hook);
            default -> new Outcome(false, "event " + hook.event() + " is not mirrored");
        };
    }

    private Outcome agentMessage(Instance instance, Target target, Webhook hook) {
        if (hook.privateNote()) {
            return new Outcome(false, "private notes stay in Chatwoot");
        }
        if (!"outgoing".equals(hook.messageType())) {
            return new Outcome(false, "only outgoing messages are sent to WhatsApp");
        }
        if (hook.messageId() == null || hook.conversationId() == null) {
            return new Outcome(false, "the message has no id or conversation");
        }
        if (hook.sourceId() != null && hook.sourceId().startsWith(SOURCE_PREFIX)
                || sync.whatsappMessage(target.instanceId(), hook.messageId()).isPresent()) {
            return new Outcome(false, "the message came from WhatsApp or was sent already");
        }
        var chat = sync.chatOf(target.instanceId(), hook.conversationId())
                .or(() -> hook.contactPhone().flatMap(ChatwootSyncService::phoneJid));
        if (chat.isEmpty()) {
            note(target, hook, "Not sent to WhatsApp: the contact of this conversation has no phone number. Add "
                    + "one (with its country code, like +5511999998888) to the contact, then send again.");
            return new Outcome(false, "the contact has no phone number");
        }
        var text = hook.content() == null ? "" : hook.content();
        if (target.config().signMessages() && hook.senderName() != null && !hook.senderName().isBlank()
                && !text.isBlank()) {
            text = "*" + hook.senderName().strip() + ":*\n" + text;
        }
        var replyTo = hook.inReplyTo() == null ? null
                : sync.whatsappMessage(target.instanceId(), hook.inReplyTo()).orElse(null);
        var caller = principal(instance.tenantId(), instance.id());
        var sends = new ArrayList<OutgoingMessage>();
        var key = "chatwoot-" + hook.messageId();
        try {
            if (hook.attachments().isEmpty()) {
                sends.add(OutgoingMessage.text(chat.get(), text, replyTo, List.of(), null, key));
            }
            for (int i = 0; i < hook.attachments().size(); i++) {
                var attachment = hook.attachments().get(i);
                var kind = switch (attachment.fileType() == null ? "" : attachment.fileType()) {
                    case "image" -> MediaType.IMAGE;
                    case "video" -> MediaType.VIDEO;
                    case "audio" -> MediaType.AUDIO;
                    default -> MediaType.DOCUMENT;
                };
                sends.add(OutgoingMessage.media(chat.get(), kind, attachment.dataUrl(), null,
                        i == 0 && !text.isBlank() && kind != MediaType.AUDIO ? text : null, fileName(attachment),
                        null, kind == MediaType.AUDIO ? false : null, null, i == 0 ? replyTo : null, List.of(),
                        i == 0 ? key : key + "-" + i));
            }
            String first = null;
            for (int part = 0; part < sends.size(); part++) {
                var queued = sender.send(caller, instance.id().toString(), sends.get(part), Optional.empty());
                // every part is mapped, so that none comes back from WhatsApp's sent echo as a new message
                if (part == 0) {
                    first = queued.id().value();
                    sync.saveMessage(target.instanceId(), first, hook.messageId(), hook.conversationId(),
                            "chatwoot");
                } else {
                    sync.saveMessagePart(target.instanceId(), queued.id().value(), hook.messageId(), part,
                            hook.conversationId());
                }
            }
            return new Outcome(true, "queued as " + first);
        } catch (ValidationException | NotConnectedException | NotFoundException e) {
            note(target, hook, "Not sent to WhatsApp: " + e.getMessage());
            return new Outcome(false, "not sent: " + e.getMessage());
        }
    }

    private Outcome read(Instance instance, Webhook hook) {
        if (!hook.agentSawIt() || hook.conversationId() == null) {
            return new Outcome(false, "the conversation was not read");
        }
        var chat = sync.chatOf(instance.id(), hook.conversationId());
        if (chat.isEmpty()) {
            return new Outcome(false, "the conversation mirrors no chat of this instance");
        }
        var read = sender.markChatRead(principal(instance.tenantId(), instance.id()), instance.id().toString(),
                chat.get());
        return new Outcome(true, "chat marked read: " + read);
    }

    private void note(Target target, Webhook hook, String text) {
        try {
            api.createMessage(target.account(), hook.conversationId(), new ChatwootApi.NewMessage(text, true, true,
                    null, hook.messageId(), null));
        } catch (ChatwootApi.Failure e) {
            // the answer to the webhook still says it; nothing else to tell
        }
    }

    private static String fileName(Attachment attachment) {
        var url = attachment.dataUrl() == null ? "" : attachment.dataUrl();
        var path = url.contains("?") ? url.substring(0, url.indexOf('?')) : url;
        var name = path.substring(path.lastIndexOf('/') + 1);
        return name.isBlank() ? null : java.net.URLDecoder.decode(name, java.nio.charset.StandardCharsets.UTF_8);
    }

    /** A Chatwoot phone number ({@code +5511...}, spaces or dashes allowed) as a send's {@code to}. */
    private static Optional<String> phoneJid(String phone) {
        var digits = phone.replaceAll("[^0-9]", "");
        return digits.length() >= 7 ? Optional.of(digits) : Optional.empty();
    }

    /** The instance itself acting: what Chatwoot's calls send as. */
    private static Principal principal(UUID tenantId, UUID instanceId) {
        return new Principal(TokenKind.INSTANCE, null, tenantId, instanceId);
    }

    private record Target(UUID instanceId, ChatwootConfig config, long inboxId, ChatwootApi.Account account) {}
}
