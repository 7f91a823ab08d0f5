package ponte.bootstrap;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Pattern;

/**
 * A stand-in Chatwoot: a real HTTP server speaking the part of Chatwoot's application API the gateway uses, behind
 * the {@code api_access_token} header, with Chatwoot's paths, JSON shapes and errors (401 for a wrong token, 404 for
 * an account the token's user is not in, an unknown conversation or inbox). Every request is checked against
 * Chatwoot's own schema ({@link ChatwootContract}): one that does not fit is answered 422 and kept in
 * {@link #violations()}, which the tests assert empty.
 *
 * <p>It keeps inboxes, contacts, conversations and messages, and, as Chatwoot does for an API inbox, POSTs
 * {@code message_created} to the inbox's webhook URL for every message created (ours included: the gateway must not
 * echo them), in order, from one thread. Agents act through {@link #agentReply}, {@link #markRead} and
 * {@link #resolve}. Faults for the tests: {@link #stop()}/{@link #restart()} (nothing listens meanwhile),
 * {@link #loseAnswers(int)} (a message is created but the answer is a 500, so the gateway retries) and
 * {@link #webhookCopies(int)} (each webhook call made that many times, as Chatwoot's retries would).
 */
final class FakeChatwoot implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final ChatwootContract CONTRACT = new ChatwootContract();
    private static final Pattern ACCOUNT_PATH = Pattern.compile("/api/v1/accounts/(\\d+)(/.*)");
    private static final HttpClient CLIENT = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private volatile HttpServer server;
    private final int port;
    private final String token;
    private final long accountId;
    private final AtomicLong ids = new AtomicLong(100);
    private final List<Inbox> inboxes = new CopyOnWriteArrayList<>();
    private final List<JsonNode> createRequests = new CopyOnWriteArrayList<>();
    private final List<String> violations = new CopyOnWriteArrayList<>();
    private final Map<Long, Contact> contacts = new ConcurrentHashMap<>();
    private final Map<Long, Conversation> conversations = new ConcurrentHashMap<>();
    private final Map<Long, Message> messages = new ConcurrentHashMap<>();
    private final Map<Long, byte[]> files = new ConcurrentHashMap<>();
    private final List<WebhookCall> webhookCalls = new CopyOnWriteArrayList<>();
    private final ExecutorService webhooks = Executors.newSingleThreadExecutor();
    private final AtomicInteger answersToLose = new AtomicInteger();
    private volatile int webhookCopies = 1;

    FakeChatwoot(String token, long accountId) {
        this.token = token;
        this.accountId = accountId;
        this.server = listen(0);
        this.port = server.getAddress().getPort();
    }

    private HttpServer listen(int on) {
        try {
            var created = HttpServer.create(new InetSocketAddress("127.0.0.1", on), 0);
            created.createContext("/", this::handle);
            created.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
            created.start();
            return created;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    String baseUrl() {
        return "http://127.0.0.1:" + port;
    }

    // ---- what the tests look at and do

    /** An inbox that exists before the gateway comes. */
    long addInbox(String name, String channelType, String webhookUrl) {
        var inbox = new Inbox(ids.incrementAndGet(), name, channelType, webhookUrl);
        inboxes.add(inbox);
        return inbox.id();
    }

    Inbox inbox(long id) {
        return inboxes.stream().filter(i -> i.id() == id).findFirst().orElseThrow();
    }

    List<Inbox> inboxes() {
        return List.copyOf(inboxes);
    }

    List<JsonNode> createRequests() {
        return List.copyOf(createRequests);
    }

    /** Requests that did not fit Chatwoot's schema. */
    List<String> violations() {
        return List.copyOf(violations);
    }

    List<Contact> contacts() {
        return contacts.values().stream().sorted(java.util.Comparator.comparingLong(Contact::id)).toList();
    }

    List<Conversation> conversations() {
        return conversations.values().stream().sorted(java.util.Comparator.comparingLong(Conversation::id)).toList();
    }

    Conversation conversation(long id) {
        return conversations.get(id);
    }

    /** Every message of every conversation, oldest first. */
    List<Message> messages() {
        return messages.values().stream().sorted(java.util.Comparator.comparingLong(Message::id)).toList();
    }

    /** A conversation's messages, oldest first. */
    List<Message> messages(long conversationId) {
        return messages.values().stream().filter(m -> m.conversationId() == conversationId)
                .sorted(java.util.Comparator.comparingLong(Message::id)).toList();
    }

    byte[] file(long attachmentId) {
        return files.get(attachmentId);
    }

    List<WebhookCall> webhookCalls() {
        return List.copyOf(webhookCalls);
    }

    /** An agent's reply in the dashboard: stored as an outgoing message and announced to the inbox's webhook. */
    Message agentReply(long conversationId, String agent, String content, Attachment... attachments) {
        return create(conversationId, content, 1, false, null, Map.of(), List.of(attachments), agent);
    }

    /** An agent's reply that quotes message {@code inReplyTo} ({@code content_attributes.in_reply_to}). */
    Message agentReplyQuoting(long conversationId, String agent, String content, long inReplyTo) {
        return create(conversationId, content, 1, false, null, Map.of("in_reply_to", inReplyTo), List.of(), agent);
    }

    /** A contact made in Chatwoot's UI ({@code phoneNumber} may be null) and a conversation with them in the inbox. */
    Conversation startConversation(long inboxId, String contactName, String phoneNumber) {
        var contact = new Contact(ids.incrementAndGet(), contactName, phoneNumber, null);
        contacts.put(contact.id(), contact);
        var conversation = new Conversation(ids.incrementAndGet(), inboxId, contact.id(),
                java.util.UUID.randomUUID().toString(), "open", null);
        conversations.put(conversation.id(), conversation);
        return conversation;
    }

    /** An agent's private note. */
    Message agentNote(long conversationId, String agent, String content) {
        return create(conversationId, content, 1, true, null, Map.of(), List.of(), agent);
    }

    /** The agent opens the conversation: {@code conversation_updated} with {@code agent_last_seen_at}. */
    void markRead(long conversationId) {
        var conversation = conversations.get(conversationId);
        var seen = Instant.now();
        conversations.put(conversationId, conversation.withAgentLastSeen(seen));
        var payload = conversationPayload(conversations.get(conversationId));
        payload.put("event", "conversation_updated");
        announce(conversation.inboxId(), payload);
    }

    void resolve(long conversationId) {
        conversations.computeIfPresent(conversationId, (id, c) -> c.withStatus("resolved"));
    }

    /** Nothing listens until {@link #restart()}; the data is kept. */
    void stop() {
        server.stop(0);
    }

    void restart() {
        server = listen(port);
    }

    /** The next {@code count} messages are created but answered with a 500, as if the answer were lost. */
    void loseAnswers(int count) {
        answersToLose.set(count);
    }

    /** Each webhook call is made {@code copies} times (Chatwoot retrying a call whose answer it did not get). */
    void webhookCopies(int copies) {
        webhookCopies = copies;
    }

    // ---- the API

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            var path = exchange.getRequestURI().getPath();
            var method = exchange.getRequestMethod();
            if (path.startsWith("/files/")) {
                var file = files.get(Long.parseLong(path.substring("/files/".length())));
                if (file == null) {
                    respond(exchange, 404, "{\"error\":\"not found\"}");
                } else {
                    exchange.getResponseHeaders().set("Content-Type", "application/octet-stream");
                    exchange.sendResponseHeaders(200, file.length);
                    exchange.getResponseBody().write(file);
                }
                return;
            }
            var matcher = ACCOUNT_PATH.matcher(path);
            var operation = CONTRACT.operation(method, path);
            if (!matcher.matches() || operation.isEmpty()) {
                violations.add(method + " " + path + " is not an operation of Chatwoot's API");
                respond(exchange, 404, "{\"error\":\"not found\"}");
                return;
            }
            if (!token.equals(exchange.getRequestHeaders().getFirst("api_access_token"))) {
                respond(exchange, 401, "{\"error\":\"You need to sign in or sign up before continuing.\"}");
                return;
            }
            if (Long.parseLong(matcher.group(1)) != accountId) {
                respond(exchange, 404, "{\"error\":\"Resource could not be found\"}");
                return;
            }
            var bytes = exchange.getRequestBody().readAllBytes();
            var contentType = exchange.getRequestHeaders().getFirst("Content-Type");
            JsonNode body = null;
            Map<String, String> form = Map.of();
            List<Attachment> uploads = List.of();
            List<String> problems;
            if (contentType != null && contentType.startsWith("multipart/form-data")) {
                var parsed = Form.parse(bytes, contentType);
                form = parsed.fields();
                uploads = parsed.files();
                problems = CONTRACT.checkForm(operation.get(), form, uploads.size());
            } else {
                body = bytes.length == 0 ? null : JSON.readTree(bytes);
                problems = CONTRACT.checkJson(operation.get(), body);
            }
            if (!problems.isEmpty()) {
                violations.addAll(problems);
                respond(exchange, 422, JSON.writeValueAsString(Map.of("message", String.join("; ", problems))));
                return;
            }
            route(exchange, method, matcher.group(2), exchange.getRequestURI(), body, form, uploads);
        } catch (RuntimeException e) {
            violations.add("the stand-in failed on " + exchange.getRequestURI() + ": " + e);
            respond(exchange, 500, "{\"error\":\"internal\"}");
        }
    }

    private void route(HttpExchange exchange, String method, String rest, URI uri, JsonNode body,
                       Map<String, String> form, List<Attachment> uploads) throws IOException {
        var segments = rest.replaceAll("/$", "").split("/");
        // segments[0] is "" (rest starts with "/")
        var resource = segments.length > 1 ? segments[1] : "";
        switch (resource) {
            case "inboxes" -> {
                if (segments.length == 2 && method.equals("GET")) {
                    listInboxes(exchange);
                } else if (segments.length == 2 && method.equals("POST")) {
                    createInbox(exchange, body);
                } else if (segments.length == 3 && method.equals("PATCH")) {
                    updateInbox(exchange, Long.parseLong(segments[2]), body);
                } else {
                    respond(exchange, 405, "{}");
                }
            }
            case "contacts" -> {
                if (segments.length == 3 && segments[2].equals("search")) {
                    searchContacts(exchange, query(uri, "q"));
                } else if (segments.length == 2 && method.equals("POST")) {
                    createContact(exchange, body);
                } else {
                    respond(exchange, 405, "{}");
                }
            }
            case "conversations" -> conversationRoute(exchange, method, segments, body, form, uploads);
            default -> respond(exchange, 404, "{\"error\":\"Resource could not be found\"}");
        }
    }

    private void conversationRoute(HttpExchange exchange, String method, String[] segments, JsonNode body,
                                   Map<String, String> form, List<Attachment> uploads) throws IOException {
        if (segments.length == 2 && method.equals("POST")) {
            createConversation(exchange, body);
            return;
        }
        var conversation = conversations.get(Long.parseLong(segments[2]));
        if (conversation == null) {
            respond(exchange, 404, "{\"error\":\"Resource could not be found\"}");
            return;
        }
        var action = segments.length > 3 ? segments[3] : "";
        switch (method + " " + action) {
            case "GET " -> respond(exchange, 200, JSON.writeValueAsString(conversationPayload(conversation)));
            case "POST toggle_status" -> {
                var status = body.get("status").asText();
                conversations.put(conversation.id(), conversation.withStatus(status));
                respond(exchange, 200, JSON.writeValueAsString(Map.of("meta", Map.of(), "payload",
                        Map.of("success", true, "conversation_id", conversation.id(), "current_status", status))));
            }
            case "GET messages" -> {
                var listing = JSON.createObjectNode();
                listing.putObject("meta");
                var payload = listing.putArray("payload");
                messages(conversation.id()).forEach(m -> payload.add(messagePayload(m, false)));
                respond(exchange, 200, JSON.writeValueAsString(listing));
            }
            case "POST messages" -> {
                String content;
                int type;
                boolean privateNote;
                String sourceId;
                Map<String, Object> attributes = new LinkedHashMap<>();
                if (body != null) {
                    content = body.path("content").asText(null);
                    type = body.path("message_type").asText("outgoing").equals("incoming") ? 0 : 1;
                    privateNote = body.path("private").asBoolean(false);
                    sourceId = body.path("source_id").asText(null);
                    if (body.path("content_attributes").isObject()) {
                        attributes = JSON.convertValue(body.get("content_attributes"), Map.class);
                    }
                } else {
                    content = form.get("content");
                    type = "incoming".equals(form.get("message_type")) ? 0 : 1;
                    privateNote = "true".equals(form.get("private"));
                    sourceId = form.get("source_id");
                    if (form.containsKey("content_attributes")) {
                        attributes = JSON.readValue(form.get("content_attributes"), Map.class);
                    }
                }
                var created = create(conversation.id(), content, type, privateNote, sourceId, attributes, uploads,
                        null);
                if (answersToLose.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
                    respond(exchange, 500, "{\"error\":\"Internal Server Error\"}");
                    return;
                }
                respond(exchange, 200, JSON.writeValueAsString(messagePayload(created, false)));
            }
            default -> respond(exchange, 405, "{}");
        }
    }

    private void listInboxes(HttpExchange exchange) throws IOException {
        var body = JSON.createObjectNode();
        var payload = body.putArray("payload");
        for (var inbox : inboxes) {
            payload.add(inboxPayload(inbox));
        }
        respond(exchange, 200, JSON.writeValueAsString(body));
    }

    private void createInbox(HttpExchange exchange, JsonNode request) throws IOException {
        createRequests.add(request);
        var channel = request.path("channel");
        if (!request.path("name").isTextual() || !"api".equals(channel.path("type").asText())) {
            respond(exchange, 422, "{\"message\":\"Name can't be blank\"}");
            return;
        }
        var inbox = new Inbox(ids.incrementAndGet(), request.get("name").asText(), "Channel::Api",
                channel.path("webhook_url").asText(null));
        inboxes.add(inbox);
        respond(exchange, 200, JSON.writeValueAsString(inboxPayload(inbox)));
    }

    private void updateInbox(HttpExchange exchange, long id, JsonNode request) throws IOException {
        var current = inboxes.stream().filter(i -> i.id() == id).findFirst();
        if (current.isEmpty()) {
            respond(exchange, 404, "{\"error\":\"Resource could not be found\"}");
            return;
        }
        var old = current.get();
        var updated = new Inbox(id, request.path("name").asText(old.name()), old.channelType(),
                request.path("channel").path("webhook_url").asText(old.webhookUrl()));
        inboxes.set(inboxes.indexOf(old), updated);
        respond(exchange, 200, JSON.writeValueAsString(inboxPayload(updated)));
    }

    private void searchContacts(HttpExchange exchange, String q) throws IOException {
        var body = JSON.createObjectNode();
        body.putObject("meta");
        var payload = body.putArray("payload");
        for (var contact : contacts()) {
            if (q != null && !q.isEmpty() && (contains(contact.name(), q) || contains(contact.phoneNumber(), q)
                    || contains(contact.identifier(), q))) {
                payload.add(contactPayload(contact));
            }
        }
        respond(exchange, 200, JSON.writeValueAsString(body));
    }

    private void createContact(HttpExchange exchange, JsonNode request) throws IOException {
        var inboxId = request.get("inbox_id").asLong();
        if (inboxes.stream().noneMatch(i -> i.id() == inboxId)) {
            respond(exchange, 404, "{\"error\":\"Resource could not be found\"}");
            return;
        }
        var phone = request.path("phone_number").asText(null);
        if (phone != null && contacts.values().stream().anyMatch(c -> phone.equals(c.phoneNumber()))) {
            // Chatwoot's unique phone number per account
            respond(exchange, 422, "{\"message\":\"Phone number has already been taken\"}");
            return;
        }
        var contact = new Contact(ids.incrementAndGet(), request.path("name").asText(""), phone,
                request.path("identifier").asText(null));
        contacts.put(contact.id(), contact);
        var body = JSON.createObjectNode();
        var payload = body.putObject("payload");
        payload.set("contact", contactPayload(contact));
        payload.putObject("contact_inbox").put("inbox_id", inboxId).put("source_id", java.util.UUID.randomUUID()
                .toString());
        respond(exchange, 200, JSON.writeValueAsString(body));
    }

    private void createConversation(HttpExchange exchange, JsonNode request) throws IOException {
        var inboxId = request.get("inbox_id").asLong();
        var contactId = request.path("contact_id").asLong(0);
        if (inboxes.stream().noneMatch(i -> i.id() == inboxId) || !contacts.containsKey(contactId)) {
            respond(exchange, 404, "{\"error\":\"Resource could not be found\"}");
            return;
        }
        var conversation = new Conversation(ids.incrementAndGet(), inboxId, contactId,
                request.get("source_id").asText(), request.path("status").asText("open"), null);
        conversations.put(conversation.id(), conversation);
        respond(exchange, 200, JSON.writeValueAsString(Map.of("id", conversation.id(), "account_id", accountId,
                "inbox_id", inboxId)));
    }

    private Message create(long conversationId, String content, int type, boolean privateNote, String sourceId,
                           Map<String, Object> attributes, List<Attachment> uploads, String agent) {
        var stored = new ArrayList<StoredAttachment>();
        for (var upload : uploads) {
            var id = ids.incrementAndGet();
            files.put(id, upload.bytes());
            stored.add(new StoredAttachment(id, fileType(upload.mimeType()), upload.fileName(),
                    baseUrl() + "/files/" + id));
        }
        var message = new Message(ids.incrementAndGet(), conversationId, content, type, privateNote, sourceId,
                Map.copyOf(attributes), List.copyOf(stored), agent);
        messages.put(message.id(), message);
        var conversation = conversations.get(conversationId);
        announce(conversation.inboxId(), messagePayload(message, true));
        return message;
    }

    private void announce(long inboxId, ObjectNode payload) {
        var url = inboxes.stream().filter(i -> i.id() == inboxId).findFirst().map(Inbox::webhookUrl).orElse(null);
        if (url == null) {
            return;
        }
        int copies = webhookCopies;
        webhooks.execute(() -> {
            for (int i = 0; i < copies; i++) {
                try {
                    var response = CLIENT.send(HttpRequest.newBuilder(URI.create(url))
                            .timeout(Duration.ofSeconds(30)).header("Content-Type", "application/json")
                            .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(payload))).build(),
                            HttpResponse.BodyHandlers.ofString());
                    webhookCalls.add(new WebhookCall(payload, response.statusCode(), response.body()));
                } catch (IOException e) {
                    webhookCalls.add(new WebhookCall(payload, -1, e.toString()));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        });
    }

    // ---- Chatwoot's shapes

    private ObjectNode inboxPayload(Inbox inbox) {
        return JSON.createObjectNode().put("id", inbox.id()).put("name", inbox.name())
                .put("channel_type", inbox.channelType()).put("webhook_url", inbox.webhookUrl());
    }

    private static ObjectNode contactPayload(Contact contact) {
        var node = JSON.createObjectNode().put("id", contact.id()).put("name", contact.name())
                .put("identifier", contact.identifier());
        node.put("phone_number", contact.phoneNumber());
        return node;
    }

    private ObjectNode conversationPayload(Conversation conversation) {
        var node = JSON.createObjectNode().put("id", conversation.id()).put("inbox_id", conversation.inboxId())
                .put("status", conversation.status()).put("channel", "Channel::Api").put("can_reply", true);
        if (conversation.agentLastSeenAt() != null) {
            node.put("agent_last_seen_at", conversation.agentLastSeenAt().getEpochSecond());
        }
        node.putObject("contact_inbox").put("source_id", conversation.sourceId())
                .put("inbox_id", conversation.inboxId()).put("contact_id", conversation.contactId());
        node.putObject("meta").set("sender", contactPayload(contacts.get(conversation.contactId())));
        return node;
    }

    /** A message: {@code message_type} a string in webhooks, an integer in REST answers (webhooks.md §3). */
    private ObjectNode messagePayload(Message message, boolean forWebhook) {
        var node = JSON.createObjectNode();
        if (forWebhook) {
            node.put("event", "message_created");
        }
        node.put("id", message.id()).put("content", message.content())
                .put("created_at", Instant.now().getEpochSecond()).put("private", message.privateNote())
                .put("content_type", "text").put("source_id", message.sourceId());
        if (forWebhook) {
            node.put("message_type", message.messageType() == 0 ? "incoming" : "outgoing");
        } else {
            node.put("message_type", message.messageType());
            node.put("conversation_id", message.conversationId());
        }
        node.set("content_attributes", JSON.valueToTree(message.contentAttributes()));
        var attachments = node.putArray("attachments");
        for (var attachment : message.attachments()) {
            attachments.addObject().put("id", attachment.id()).put("file_type", attachment.fileType())
                    .put("data_url", attachment.dataUrl()).put("thumb_url", "");
        }
        var conversation = conversations.get(message.conversationId());
        if (message.agent() != null) {
            node.putObject("sender").put("id", 1).put("name", message.agent()).put("available_name", message.agent())
                    .put("type", "user");
        } else if (message.messageType() == 0) {
            node.set("sender", contactPayload(contacts.get(conversation.contactId())).put("type", "contact"));
        }
        if (forWebhook) {
            node.putObject("inbox").put("id", conversation.inboxId());
            node.putObject("account").put("id", accountId);
            node.set("conversation", conversationPayload(conversation));
        }
        return node;
    }

    private static String fileType(String mimeType) {
        var type = mimeType == null ? "" : mimeType;
        return type.startsWith("image/") ? "image" : type.startsWith("video/") ? "video"
                : type.startsWith("audio/") ? "audio" : "file";
    }

    private static boolean contains(String value, String q) {
        return value != null && value.contains(q);
    }

    private static String query(URI uri, String name) {
        var raw = uri.getRawQuery();
        if (raw == null) {
            return null;
        }
        for (var pair : raw.split("&")) {
            var eq = pair.indexOf('=');
            if (eq > 0 && pair.substring(0, eq).equals(name)) {
                return java.net.URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            }
        }
        return null;
    }

    private static void respond(HttpExchange exchange, int status, String body) throws IOException {
        var bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json; charset=utf-8");
        exchange.sendResponseHeaders(status, bytes.length);
        exchange.getResponseBody().write(bytes);
    }

    @Override
    public void close() {
        server.stop(0);
        webhooks.shutdownNow();
    }

    record Inbox(long id, String name, String channelType, String webhookUrl) {}

    record Contact(long id, String name, String phoneNumber, String identifier) {}

    record Conversation(long id, long inboxId, long contactId, String sourceId, String status,
                        Instant agentLastSeenAt) {
        Conversation withStatus(String newStatus) {
            return new Conversation(id, inboxId, contactId, sourceId, newStatus, agentLastSeenAt);
        }

        Conversation withAgentLastSeen(Instant at) {
            return new Conversation(id, inboxId, contactId, sourceId, status, at);
        }
    }

    /** {@code messageType}: 0 incoming, 1 outgoing (Chatwoot's integers). */
    record Message(long id, long conversationId, String content, int messageType, boolean privateNote,
                   String sourceId, Map<String, Object> contentAttributes, List<StoredAttachment> attachments,
                   String agent) {}

    record StoredAttachment(long id, String fileType, String fileName, String dataUrl) {}

    /** A file an agent attaches, or the gateway uploads. */
    record Attachment(String fileName, String mimeType, byte[] bytes) {}

    record WebhookCall(JsonNode payload, int status, String answer) {}

    /** A {@code multipart/form-data} body taken apart: its text fields and its files. */
    record Form(Map<String, String> fields, List<Attachment> files) {
        static Form parse(byte[] body, String contentType) {
            var boundary = "--" + contentType.substring(contentType.indexOf("boundary=") + 9).replace("\"", "");
            var text = new String(body, StandardCharsets.ISO_8859_1);
            var fields = new LinkedHashMap<String, String>();
            var files = new ArrayList<Attachment>();
            for (var part : text.split(Pattern.quote(boundary))) {
                if (part.isEmpty() || part.startsWith("--")) {
                    continue;
                }
                var headerEnd = part.indexOf("\r\n\r\n");
                var headers = part.substring(0, headerEnd);
                var content = part.substring(headerEnd + 4, part.length() - 2);
                var name = attribute(headers, "name");
                var fileName = attribute(headers, "filename");
                if (fileName != null) {
                    var type = headers.lines().filter(l -> l.toLowerCase(java.util.Locale.ROOT)
                            .startsWith("content-type:")).map(l -> l.substring(13).strip()).findFirst().orElse(null);
                    files.add(new Attachment(fileName, type, content.getBytes(StandardCharsets.ISO_8859_1)));
                } else {
                    fields.put(name, new String(content.getBytes(StandardCharsets.ISO_8859_1),
                            StandardCharsets.UTF_8));
                }
            }
            return new Form(fields, files);
        }

        private static String attribute(String headers, String name) {
            var matcher = Pattern.compile("[; ]" + name + "=\"([^\"]*)\"").matcher(headers);
            return matcher.find() ? matcher.group(1) : null;
        }
    }
}
