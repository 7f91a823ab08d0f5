package ponte.application.service;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import ponte.application.model.ChatSummary;
import ponte.application.model.Contact;
import ponte.application.model.Page;
import ponte.application.model.PageRequest;
import ponte.application.port.out.IdempotencyKeys;
import ponte.application.port.out.MessageStore;
import ponte.application.port.out.MessagingPort;
import ponte.application.port.out.OutgoingQueue;
import ponte.domain.message.IdempotencyKey;
import ponte.domain.message.Jid;
import ponte.domain.message.Message;
import ponte.domain.message.MessageId;
import ponte.domain.message.MessageStatus;
import ponte.domain.message.OutgoingStatus;

/**
 * The messaging tables in memory, keeping the rules the SQL keeps (one message per instance and id, the queue's
 * accepted order and its heads per chat, a key re-usable after its window), and a test double of the WhatsApp engine
 * whose answers and acks the scenario decides.
 */
final class InMemoryMessaging implements MessageStore, OutgoingQueue, IdempotencyKeys {
    /** Claims stamped with these epochs are refused, as the store refuses a fence whose lease moved on. */
    final Set<Long> staleEpochs = java.util.concurrent.ConcurrentHashMap.newKeySet();

    record Row(UUID tenantId, Message message, Optional<OutgoingStatus> outgoing, Instant readAt,
               boolean receiptPending) {}

    final Map<String, Row> messages = new LinkedHashMap<>();
    final Map<String, Instant> storedTimes = new HashMap<>();
    final List<QueueRow> queue = new ArrayList<>();
    final Map<String, Key> keys = new HashMap<>();

    static final class QueueRow {
        final UUID instanceId;
        final MessageId id;
        Jid chat;
        String state = "queued";
        int attempts;
        Instant notBefore;
        Instant doneAt;
        Send send;

        QueueRow(UUID instanceId, MessageId id, Jid chat, Send send, Instant at) {
            this.instanceId = instanceId;
            this.id = id;
            this.chat = chat;
            this.send = send;
            this.notBefore = at;
        }
    }

    record Key(MessageId id, Instant at) {}

    private static String key(UUID instanceId, MessageId id) {
        return instanceId + "/" + id.value();
    }

    // --- messages

    @Override
    public synchronized boolean insert(UUID tenantId, UUID instanceId, Message message,
                                       Optional<OutgoingStatus> outgoing, Instant storedAt, boolean change) {
        storedTimes.putIfAbsent(key(instanceId, message.id()), storedAt);
        boolean stored = messages.putIfAbsent(key(instanceId, message.id()),
                new Row(tenantId, message, outgoing, null, false)) == null;
        if (stored && change) {
            changes.add(key(instanceId, message.id()));
        }
        return stored;
    }

    /** The keys of messages stored as changes to others (left out of chat history). */
    final java.util.Set<String> changes = new java.util.HashSet<>();

    @Override
    public synchronized Optional<Stored> lock(UUID instanceId, MessageId id) {
        return find(instanceId, id);
    }

    @Override
    public synchronized List<Message> insertHistory(UUID tenantId, UUID instanceId, List<Message> batch,
                                                    Instant storedAt) {
        var stored = new ArrayList<Message>();
        for (var message : batch) {
            storedTimes.putIfAbsent(key(instanceId, message.id()), storedAt);
            if (messages.putIfAbsent(key(instanceId, message.id()), new Row(tenantId, message, Optional.empty(),
                    message.fromMe() ? null : storedAt, false)) == null) {
                stored.add(message);
            }
        }
        return stored;
    }

    final List<ponte.domain.message.Sender> contacts = new ArrayList<>();

    @Override
    public synchronized void keepContacts(UUID tenantId, UUID instanceId, List<ponte.domain.message.Sender> people,
                                          Instant at) {
        contacts.addAll(people);
    }

    @Override
    public synchronized boolean isChange(UUID instanceId, MessageId id) {
        return changes.contains(key(instanceId, id));
    }

    @Override
    public synchronized Optional<Stored> find(UUID instanceId, MessageId id) {
        return Optional.ofNullable(messages.get(key(instanceId, id)))
                .map(row -> new Stored(row.tenantId(), row.message(), row.outgoing()));
    }

    @Override
    public synchronized boolean replace(UUID instanceId, Message message) {
        var row = messages.get(key(instanceId, message.id()));
        if (row == null) {
            return false;
        }
        messages.put(key(instanceId, message.id()), new Row(row.tenantId(), message, row.outgoing(), row.readAt(),
                row.receiptPending()));
        return true;
    }

    @Override
    public synchronized Optional<Stored> lockOwn(UUID instanceId, MessageId id) {
        return find(instanceId, id).filter(s -> s.message().fromMe());
    }

    @Override
    public synchronized void updateOutgoing(UUID instanceId, OutgoingStatus status) {
        var row = messages.get(key(instanceId, status.id()));
        messages.put(key(instanceId, status.id()), new Row(row.tenantId(),
                OutgoingSender.withStatus(row.message(), status), Optional.of(status), null, false));
    }

    @Override
    public synchronized List<Message> markChatRead(UUID instanceId, Jid chat, Instant at) {
        var marked = new ArrayList<Message>();
        var names = aliases(instanceId, chat);
        for (var entry : messages.entrySet()) {
            var row = entry.getValue();
            var m = row.message();
            if (entry.getKey().startsWith(instanceId + "/") && !m.fromMe() && names.contains(m.chatJid())
                    && row.readAt() == null) {
                var read = new Message(m.id(), m.chatJid(), false, m.sender(), m.timestamp(), MessageStatus.READ,
                        m.body(), m.quoted(), m.mentions(), m.participant(), m.fromHistory());
                entry.setValue(new Row(row.tenantId(), read, Optional.empty(), at, true));
                marked.add(read);
            }
        }
        return marked;
    }

    /** The JIDs a chat is stored under: itself and its sender's other name as received messages paired them. */
    private Set<Jid> aliases(UUID instanceId, Jid chat) {
        var names = new java.util.HashSet<Jid>(Set.of(chat));
        for (var row : rows(instanceId)) {
            var sender = row.message().sender();
            if (!row.message().fromMe() && sender.jid().isPresent() && sender.lid().isPresent()
                    && (sender.jid().get().equals(chat) || sender.lid().get().equals(chat))) {
                names.add(sender.jid().get());
                names.add(sender.lid().get());
            }
        }
        return names;
    }

    private List<Row> rows(UUID instanceId) {
        return messages.entrySet().stream().filter(e -> e.getKey().startsWith(instanceId + "/"))
                .map(Map.Entry::getValue).toList();
    }

    private static final java.util.Comparator<Row> NEWEST_FIRST = java.util.Comparator
            .comparing((Row r) -> r.message().timestamp()).thenComparing(r -> r.message().id().value()).reversed();

    @Override
    public synchronized Page<ChatSummary> chats(UUID instanceId, PageRequest page) {
        var byChat = new LinkedHashMap<Jid, List<Row>>();
        for (var row : rows(instanceId).stream().sorted(NEWEST_FIRST).toList()) {
            var chat = row.message().chatJid();
            var named = chat.isLid() ? aliases(instanceId, chat).stream().filter(Jid::isPhone).findFirst()
                    .orElse(chat) : chat;
            byChat.computeIfAbsent(named, k -> new ArrayList<>()).add(row);
        }
        var chats = byChat.entrySet().stream().map(e -> {
            var last = e.getValue().getFirst();
            var unread = (int) e.getValue().stream().filter(r -> !r.message().fromMe() && r.readAt() == null).count();
            var name = e.getKey().isGroup() ? Optional.<String>empty() : e.getValue().stream()
                    .filter(r -> !r.message().fromMe()).map(r -> r.message().sender().pushName())
                    .flatMap(Optional::stream).findFirst();
            return new ChatSummary(e.getKey(), name, e.getKey().isGroup(),
                    MessageService.stored(new Stored(last.tenantId(), last.message(), last.outgoing())), unread,
                    last.message().timestamp());
        }).limit(page.limit()).toList();
        return new Page<>(chats, null);
    }

    @Override
    public synchronized Page<Stored> chatMessages(UUID instanceId, Jid chat, PageRequest page) {
        var names = aliases(instanceId, chat);
        var all = rows(instanceId).stream().filter(r -> names.contains(r.message().chatJid()))
                .filter(r -> !changes.contains(key(instanceId, r.message().id())))
                .sorted(NEWEST_FIRST).map(r -> new Stored(r.tenantId(), r.message(), r.outgoing())).toList();
        int from = 0;
        if (page.cursor() != null) {
            from = all.stream().map(s -> s.message().id().value()).toList().indexOf(page.cursor()) + 1;
        }
        var items = all.subList(Math.min(from, all.size()), Math.min(from + page.limit(), all.size()));
        return new Page<>(items, from + page.limit() < all.size() ? items.getLast().message().id().value() : null);
    }

    @Override
    public synchronized Page<Contact> contacts(UUID instanceId, PageRequest page) {
        var people = new java.util.TreeMap<String, Contact>();
        for (var row : rows(instanceId).stream().sorted(NEWEST_FIRST.reversed()).toList()) {
            var sender = row.message().sender();
            if (row.message().fromMe() || sender.jid().isEmpty() && sender.lid().isEmpty()) {
                continue;
            }
            var jid = sender.jid().orElseGet(() -> aliases(instanceId, sender.lid().orElseThrow()).stream()
                    .filter(Jid::isPhone).findFirst().orElse(sender.lid().orElseThrow()));
            var known = people.get(jid.toString());
            people.put(jid.toString(), new Contact(jid, sender.lid().or(() -> known == null ? Optional.empty()
                    : known.lid()), jid.isPhone() ? Optional.of(jid.user()) : Optional.empty(),
                    sender.pushName().or(() -> known == null ? Optional.empty() : known.pushName()),
                    Optional.empty()));
        }
        return new Page<>(people.values().stream().limit(page.limit()).toList(), null);
    }

    @Override
    public synchronized Optional<Contact> contact(UUID instanceId, Jid jid) {
        return contacts(instanceId, new PageRequest(200, null)).items().stream()
                .filter(c -> c.jid().equals(jid) || c.lid().equals(Optional.of(jid))).findFirst();
    }

    @Override
    public synchronized int dropBodiesStoredBefore(Instant storedBefore) {
        int dropped = 0;
        for (var entry : messages.entrySet()) {
            var m = entry.getValue().message();
            if (storedTimes.get(entry.getKey()).isBefore(storedBefore) && m.body() instanceof Message.Text t
                    && !t.text().isEmpty()) {
                var row = entry.getValue();
                entry.setValue(new Row(row.tenantId(), new Message(m.id(), m.chatJid(), m.fromMe(), m.sender(),
                        m.timestamp(), m.status(), new Message.Text(""), m.quoted(), m.mentions(), m.participant(),
                        m.fromHistory()), row.outgoing(), row.readAt(), row.receiptPending()));
                dropped++;
            }
        }
        return dropped;
    }

    @Override
    public synchronized List<Message> pendingReadReceipts(UUID instanceId, int max) {
        return messages.entrySet().stream().filter(e -> e.getKey().startsWith(instanceId + "/"))
                .map(Map.Entry::getValue).filter(Row::receiptPending).map(Row::message).limit(max).toList();
    }

    @Override
    public synchronized void readReceiptsSent(UUID instanceId, List<MessageId> ids) {
        for (var id : ids) {
            messages.computeIfPresent(key(instanceId, id), (k, row) -> new Row(row.tenantId(), row.message(),
                    row.outgoing(), row.readAt(), false));
        }
    }

    @Override
    public synchronized List<UUID> instancesWithPendingReceipts() {
        return messages.entrySet().stream().filter(e -> e.getValue().receiptPending())
                .map(e -> UUID.fromString(e.getKey().substring(0, 36))).distinct().toList();
    }

    // --- queue

    @Override
    public synchronized void enqueue(UUID instanceId, Jid chat, MessageId id, Send send, Instant at) {
        queue.add(new QueueRow(instanceId, id, chat, send, at));
    }

    @Override
    public synchronized List<UUID> instancesWithWork() {
        return queue.stream().filter(r -> !r.state.equals("done")).map(r -> r.instanceId).distinct().toList();
    }

    @Override
    public synchronized List<Head> heads(UUID instanceId) {
        var seen = new java.util.HashSet<Jid>();
        var heads = new ArrayList<Head>();
        for (var row : queue) {
            if (row.instanceId.equals(instanceId) && !row.state.equals("done") && seen.add(row.chat)) {
                heads.add(new Head(row.id, row.chat, row.state.equals("sending"), row.attempts, row.notBefore,
                        row.send));
            }
        }
        return heads;
    }

    synchronized QueueRow row(MessageId id) {
        return queue.stream().filter(r -> r.id.equals(id)).findFirst().orElseThrow();
    }

    @Override
    public synchronized boolean markSending(UUID instanceId, MessageId id, Instant at,
                                            ponte.application.model.LeaseFence fence) {
        if (staleEpochs.contains(fence.epoch())) {
            return false;
        }
        var row = row(id);
        row.state = "sending";
        row.attempts++;
        return true;
    }

    @Override
    public synchronized void requeue(UUID instanceId, MessageId id, Instant notBefore) {
        var row = row(id);
        row.state = "queued";
        row.notBefore = notBefore;
    }

    @Override
    public synchronized void done(UUID instanceId, MessageId id, Instant at) {
        var row = row(id);
        row.state = "done";
        row.doneAt = at;
    }

    @Override
    public synchronized int purgeDone(Instant before) {
        int before0 = queue.size();
        queue.removeIf(r -> r.state.equals("done") && r.doneAt.isBefore(before));
        return before0 - queue.size();
    }

    @Override
    public synchronized void retarget(UUID instanceId, MessageId id, Jid chat, Send send) {
        var row = row(id);
        row.chat = chat;
        row.send = send;
    }

    // --- idempotency keys

    @Override
    public synchronized Optional<MessageId> find(UUID instanceId, IdempotencyKey key, Instant since) {
        return Optional.ofNullable(keys.get(instanceId + "/" + key.value())).filter(k -> !k.at().isBefore(since))
                .map(Key::id);
    }

    @Override
    public synchronized Optional<MessageId> claim(UUID instanceId, IdempotencyKey key, MessageId id, Instant now,
                                                  Instant since) {
        var held = find(instanceId, key, since);
        if (held.isPresent()) {
            return held;
        }
        keys.put(instanceId + "/" + key.value(), new Key(id, now));
        return Optional.empty();
    }

    /**
     * The engine as the core sees it: online instances, which numbers exist (under which JID and LID), the groups
     * it is in, and every send, each with a future the scenario completes (or acked at once with {@link #autoAck}).
     */
    static final class Engine implements MessagingPort {
        final Set<UUID> online;
        final Map<Jid, ContactLookup> accounts = new ConcurrentHashMap<>();
        final Map<Jid, GroupMembers> groups = new ConcurrentHashMap<>();
        final List<Sent> sent = java.util.Collections.synchronizedList(new ArrayList<>());
        final List<Read> reads = java.util.Collections.synchronizedList(new ArrayList<>());
        final List<List<Jid>> lookups = java.util.Collections.synchronizedList(new ArrayList<>());
        volatile Instant autoAck;

        /** {@code online} is shared with the sessions port, as the real engine is both. */
        Engine(Set<UUID> online) {
            this.online = online;
        }

        record Sent(UUID instanceId, WireMessage message, CompletableFuture<Instant> ack) {}

        record Read(Jid chat, Optional<Jid> participant, List<MessageId> ids) {}

        void account(Jid asked, Jid known, Jid lid) {
            accounts.put(asked, new ContactLookup(asked, true, Optional.of(known), Optional.of(lid)));
        }

        private void requireOnline(UUID instanceId) {
            if (!online.contains(instanceId)) {
                throw new Offline("not online");
            }
        }

        @Override
        public List<ContactLookup> lookup(UUID instanceId, List<Jid> phoneJids, Duration wait) {
            requireOnline(instanceId);
            lookups.add(List.copyOf(phoneJids));
            return phoneJids.stream().map(jid -> accounts.getOrDefault(jid,
                    new ContactLookup(jid, false, Optional.empty(), Optional.empty()))).toList();
        }

        @Override
        public CompletableFuture<Instant> send(UUID instanceId, WireMessage message) {
            if (!online.contains(instanceId)) {
                return CompletableFuture.failedFuture(new Offline("not online"));
            }
            var ack = autoAck != null ? CompletableFuture.completedFuture(autoAck) : new CompletableFuture<Instant>();
            sent.add(new Sent(instanceId, message, ack));
            return ack;
        }

        @Override
        public void markRead(UUID instanceId, Jid chat, Optional<Jid> participant, List<MessageId> ids) {
            requireOnline(instanceId);
            reads.add(new Read(chat, participant, List.copyOf(ids)));
        }

        @Override
        public Optional<GroupMembers> group(UUID instanceId, Jid group, Duration wait) {
            requireOnline(instanceId);
            return Optional.ofNullable(groups.get(group));
        }

        List<String> sentTexts() {
            synchronized (sent) {
                return sent.stream().map(s -> s.message().content() instanceof MessagingPort.WireContent.Text t ? t.text() : s.message().content().toString()).toList();
            }
        }

        Sent last() {
            synchronized (sent) {
                return sent.getLast();
            }
        }
    }
}
