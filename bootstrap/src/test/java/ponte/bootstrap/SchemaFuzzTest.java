package ponte.bootstrap;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

/**
 * Schema fuzzing of every route of {@code /openapi.json} (issue 17 item 2), with jqwik generating the bad input.
 *
 * <p>Each try of the property is one {@link Mutation} (what to break, where, and with what), applied to every route
 * at once: to the valid example body built from the route's request schema, to its query parameters or to one of
 * its path values, depending on what the route takes. So each route gets one case per try (200 tries by default,
 * {@code -Djqwik.tries.default=N} for a long run, see docs/security-testing.md). The breakages: wrong types, missing
 * required and extra fields, nulls, huge and empty strings, deep nesting, big numbers, invalid UTF-8, control and
 * NUL characters, duplicate keys, non-objects and truncated JSON.
 *
 * <p>Every answer must be: no 5xx; a 4xx in the API's error envelope with a documented status (checked against
 * /openapi.json like every other answer of the suite); and a rejected request (any 4xx) must leave the gateway's
 * tables as they were. The last is watched by row triggers on every gateway table that write each insert, update
 * and delete into a side table of the test's own schema: a rejected request during which a row changed fails,
 * naming the tables. (Tables of the node's own bookkeeping, written on a timer, are left out, and so are the
 * updates the webhook and outgoing workers make to their queues: a request can only add to or remove from those.)
 *
 * <p>Requests the mutation happened to leave valid (a partial update without an optional field, say) are admitted:
 * they are counted, and only held to "no 5xx". Routes that would act on the real instance without reading their
 * input (a POST without a body, like {@code /connect}, a stream) get their path values broken, never their query.
 */
class SchemaFuzzTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final JsonNodeFactory F = JsonNodeFactory.instance;
    private static final Pattern PARAMETER = Pattern.compile("\\{([^}]+)}");
    /** Written on a timer by every node, not by requests. */
    private static final Set<String> BACKGROUND_TABLES = Set.of("gateway_nodes", "instance_leases", "fleet_guard",
            "node_commands", "webhook_attempts");
    /**
     * Request bookkeeping, not state a request's input changes: the audit log records refused changes too, and a
     * token's last use is written whatever its request then gets.
     */
    private static final Set<String> REQUEST_BOOKKEEPING = Set.of("audit_log", "api_token_usage");
    /** Tables a worker updates on its own schedule: only their inserts and deletes come from requests. */
    private static final Set<String> WORKER_UPDATED = Set.of("webhook_deliveries", "outgoing_queue");
    private static final String PHONE = "5511987659902";

    private static GatewayFixture gateway;
    private static Receiver receiver;
    private static HttpClient client;
    private static Connection database;
    private static List<Target> targets;
    private static GatewayFixture.Tenant tenant;
    private static GatewayFixture.Instance instance;
    private static String deliveryId;
    private static final Map<String, int[]> CASES = new TreeMap<>();
    private static String previous;

    @BeforeContainer
    static void start() throws Exception {
        gateway = GatewayFixture.start(Map.of("PONTE_RATE_LIMIT_AUTH_FAILURES", "10000000", "PONTE_WHATSAPP", "sandbox", "PONTE_SANDBOX_PORT", "0",
                "PONTE_RATE_LIMIT_REQUESTS", "10000000", "PONTE_RATE_LIMIT_INSTANCE_CREATES", "1000000",
                "PONTE_WEBHOOK_POLL_MS", "50"));
        client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        var http = gateway.http();
        tenant = gateway.newTenant("fuzzed");
        instance = gateway.newInstance(tenant, "fuzzed-instance");
        http.post("/v1/sandbox/phones", GatewayFixture.ADMIN_TOKEN, "{\"phone_number\":\"" + PHONE
                + "\",\"push_name\":\"Fuzz\"}");
        // one delivery to fuzz the delivery routes on, settled before the watch starts
        receiver = Receiver.start();
        var logged = gateway.newInstance(tenant, "fuzzed-logged");
        http.post("/v1/instances/" + logged.id() + "/webhooks", tenant.token(), "{\"label\":\"default\",\"url\":\""
                + receiver.url("/hook") + "\"}");
        http.post("/v1/instances/" + instance.id() + "/webhooks", tenant.token(), "{\"label\":\"default\","
                + "\"url\":\"https://example.com/hook\",\"enabled\":false}");
        Events.message(gateway, tenant, logged, "fuzz");
        receiver.await(1, r -> true, Duration.ofSeconds(10));
        for (int i = 0; i < 200 && deliveryId == null; i++) {
            var listed = http.get("/v1/webhook-deliveries?status=succeeded", tenant.token()).json().at("/data/0/id");
            deliveryId = listed.isTextual() ? listed.asText() : null;
            Thread.sleep(50);
        }
        var db = gateway.database();
        database = DriverManager.getConnection(db.jdbcUrl(), db.user(), db.password());
        watchTables();
        targets = targets(http.get("/openapi.json", null).json()); // this gateway's, with its sandbox routes
    }

    @AfterContainer
    static void stop() throws SQLException {
        var report = new StringBuilder("schema fuzzing, cases per route (admitted of them in brackets):\n");
        int total = 0;
        for (var entry : CASES.entrySet()) {
            report.append(String.format("  %5d (%4d admitted)  %s%n", entry.getValue()[0], entry.getValue()[1],
                    entry.getKey()));
            total += entry.getValue()[0];
        }
        report.append(String.format("schema fuzzing: %d routes, %d cases%n", CASES.size(), total));
        System.out.print(report);
        if (database != null) {
            database.close();
        }
        if (receiver != null) {
            receiver.close();
        }
        if (gateway != null) {
            gateway.close();
        }
    }

    @Property(shrinking = net.jqwik.api.ShrinkingMode.BOUNDED)
    void noRouteCrashesOrChangesAnythingOnInputItRejects(@ForAll("mutations") Mutation mutation) throws Exception {
        for (var target : targets) {
            var request = target.apply(mutation);
            long before = changes();
            Http.Response response;
            try {
                response = send(request);
            } catch (java.io.IOException e) {
                throw new AssertionError("no answer (" + e.getMessage() + ") to " + mutation + " on " + target.method()
                        + " " + target.template() + ": " + request.method() + " " + request.url() + " "
                        + abbreviate(request.body()) + "; the request before: " + previous, e);
            }
            previous = request.method() + " " + request.url() + " " + abbreviate(request.body()) + " -> "
                    + response.status() + " " + response.headers().get("connection");
            var counts = CASES.computeIfAbsent(target.method() + " " + target.template(), k -> new int[2]);
            counts[0]++;
            var what = mutation + " on " + target.method() + " " + target.template() + ": " + request.method() + " "
                    + request.url() + " " + abbreviate(request.body()) + " -> " + response.status() + " "
                    + abbreviate(response.body());
            if (response.status() >= 500) {
                throw new AssertionError("a 5xx: " + what);
            }
            if (response.status() < 400) {
                counts[1]++;
                continue;
            }
            envelope(what, response);
            OpenApiContract.of(gateway.http().base()).check(request.method(), request.url(), response);
            long after = changes();
            if (after != before) {
                throw new AssertionError("a rejected request changed " + changedTables(before) + ": " + what);
            }
        }
    }

    @Provide
    Arbitrary<Mutation> mutations() {
        var text = Arbitraries.oneOf(
                Arbitraries.strings().all().ofMinLength(0).ofMaxLength(40),
                Arbitraries.strings().withCharRange('\u0000', '\u001f').ofMinLength(1).ofMaxLength(8),
                Arbitraries.of("", " ", "\u0000", "\u202e", "\ud83d\ude00", "../../etc/passwd", "%00", "null",
                        "' OR 1=1 --", "${jndi:ldap://x}", "\r\nX-Injected: 1", "\ud800", "{}", "[]"));
        var size = Arbitraries.oneOf(Arbitraries.integers().between(1, 300),
                Arbitraries.of(4096, 65_536, 300_000));
        return Combinators.combine(Arbitraries.of(Kind.class), Arbitraries.integers().between(0, 10_000), text,
                size, Arbitraries.of(Carrier.class)).as(Mutation::new);
    }

    /** What a try breaks. */
    enum Kind {
        WRONG_TYPE, MISSING_FIELD, EXTRA_FIELD, NULL_VALUE, HUGE_STRING, EMPTY_STRING, DEEP_NESTING, BIG_NUMBER,
        INVALID_UTF8, CONTROL_CHARACTERS, DUPLICATE_KEY, NOT_AN_OBJECT, TRUNCATED
    }

    /** Where a try puts it, when the route takes more than one kind of input. */
    enum Carrier { BODY, QUERY, PATH }

    /**
     * One try: break {@code kind}, in the {@code pick}-th field/parameter (modulo how many the route has), using
     * {@code text} where a text is needed and {@code size} for lengths and depths.
     */
    record Mutation(Kind kind, int pick, String text, int size, Carrier carrier) {
        @Override
        public String toString() {
            return kind + "/" + carrier + "#" + pick + "(" + abbreviate(text) + ", " + size + ")";
        }
    }

    record Request(String method, String url, String token, byte[] body) {}

    /** A route with the valid input it is fuzzed from. */
    record Target(String method, String template, String token, JsonNode example, JsonNode schema,
                  List<String> queryParameters, Map<String, String> pathValues, boolean actsWithoutInput) {

        Request apply(Mutation m) {
            var carrier = m.carrier();
            if (example == null && carrier == Carrier.BODY) {
                carrier = Carrier.PATH;
            }
            if (carrier == Carrier.QUERY && (queryParameters.isEmpty() || actsWithoutInput)) {
                carrier = Carrier.PATH;
            }
            if (carrier == Carrier.PATH && pathValues.isEmpty()) {
                carrier = example != null ? Carrier.BODY : Carrier.QUERY;
            }
            var path = new LinkedHashMap<>(pathValues);
            var query = new StringBuilder();
            byte[] body = example == null ? null : bytes(example.toString());
            switch (carrier) {
                case PATH -> {
                    var names = new ArrayList<>(path.keySet());
                    var name = names.get(m.pick() % names.size());
                    path.put(name, pathValue(m));
                }
                case QUERY -> {
                    var names = queryParameters.isEmpty() ? List.of("unknown") : queryParameters;
                    var name = names.get(m.pick() % names.size());
                    query.append('?').append(name).append('=').append(queryValue(m));
                    if (m.kind() == Kind.DUPLICATE_KEY) {
                        query.append('&').append(name).append("=1");
                    }
                }
                case BODY -> body = body(m);
            }
            var url = new StringBuilder();
            var matcher = PARAMETER.matcher(template);
            while (matcher.find()) {
                matcher.appendReplacement(url, Matcher.quoteReplacement(path.get(matcher.group(1))));
            }
            matcher.appendTail(url);
            return new Request(method, url + query.toString(), token, body);
        }

        private byte[] body(Mutation m) {
            var tree = example.deepCopy();
            var fields = new ArrayList<String>();
            pointers(tree, "", fields);
            var pointer = fields.isEmpty() ? null : fields.get(m.pick() % fields.size());
            switch (m.kind()) {
                case WRONG_TYPE -> replace(tree, pointer, wrongType(pointer == null ? tree : tree.at(pointer)));
                case MISSING_FIELD -> {
                    var required = schema.path("required");
                    var candidates = new ArrayList<String>();
                    required.forEach(r -> candidates.add("/" + r.asText()));
                    var gone = candidates.isEmpty() ? pointer : candidates.get(m.pick() % candidates.size());
                    if (gone != null) {
                        remove(tree, gone);
                    }
                }
                case EXTRA_FIELD -> ((ObjectNode) tree).put(m.text().isEmpty() ? "unknown_field" : "x_" + m.text(),
                        m.text());
                case NULL_VALUE -> replace(tree, pointer, F.nullNode());
                case HUGE_STRING -> replace(tree, pointer, F.textNode("A".repeat(m.size()) + m.text()));
                case EMPTY_STRING -> replace(tree, pointer, F.textNode(""));
                case DEEP_NESTING -> {
                    var depth = Math.max(m.size(), 2);
                    return bytes(tree.toString().replaceFirst("\\}$", Matcher.quoteReplacement(
                            (tree.isEmpty() ? "" : ",") + "\"deep\":" + "[".repeat(depth) + "]".repeat(depth) + "}")));
                }
                case BIG_NUMBER -> {
                    var numbers = new String[] {"1e400", "-1e400", "123456789012345678901234567890",
                            "18446744073709551616", "-9223372036854775809", "1e-400", "0.1e99999"};
                    var marker = "\"__number__\"";
                    replace(tree, pointer, F.textNode("__number__"));
                    return bytes(tree.toString().replace(marker, numbers[m.pick() % numbers.length]));
                }
                case INVALID_UTF8 -> {
                    replace(tree, pointer, F.textNode("__bytes__"));
                    var text = tree.toString();
                    var at = text.indexOf("__bytes__");
                    var out = new ByteArrayOutputStream();
                    out.writeBytes(bytes(text.substring(0, at)));
                    var invalid = new byte[][] {{(byte) 0xff, (byte) 0xfe}, {(byte) 0xc0, (byte) 0x80},
                            {(byte) 0xed, (byte) 0xa0, (byte) 0x80}, {(byte) 0xe2, (byte) 0x82}, {(byte) 0x80}};
                    out.writeBytes(invalid[m.pick() % invalid.length]);
                    out.writeBytes(bytes(text.substring(at + "__bytes__".length())));
                    return out.toByteArray();
                }
                case CONTROL_CHARACTERS -> replace(tree, pointer, F.textNode(m.text() + "\u0000\u0007\u001b[31m"
                        + "\u2028\u0085" + m.text()));
                case DUPLICATE_KEY -> {
                    var text = tree.toString();
                    var key = fields.isEmpty() ? "\"dup\"" : "\"" + last(pointer) + "\"";
                    return bytes(text.replaceFirst("\\}$", Matcher.quoteReplacement(
                            (tree.isEmpty() ? "" : ",") + key + ":" + JSON.valueToTree(m.text()) + "}")));
                }
                case NOT_AN_OBJECT -> {
                    var others = new String[] {"[]", "42", "\"text\"", "null", "true", "[" + tree + "]"};
                    return bytes(others[m.pick() % others.length]);
                }
                case TRUNCATED -> {
                    var text = tree.toString();
                    return bytes(text.substring(0, Math.max(1, (m.pick() % Math.max(1, text.length() - 1)))));
                }
            }
            return bytes(tree.toString());
        }
    }

    private static String pathValue(Mutation m) {
        return switch (m.kind()) {
            case HUGE_STRING -> "A".repeat(Math.min(m.size(), 6000));
            case EMPTY_STRING -> "%20";
            case INVALID_UTF8 -> "%FF%FE" + encode(m.text());
            case CONTROL_CHARACTERS -> "%00%07%1B" + encode(m.text());
            case BIG_NUMBER -> "123456789012345678901234567890";
            case DEEP_NESTING -> "..%2F".repeat(Math.min(m.size(), 200)) + "etc";
            case NULL_VALUE -> "null";
            default -> m.text().isEmpty() ? "%2e%2e" : encode(m.text());
        };
    }

    private static String queryValue(Mutation m) {
        return switch (m.kind()) {
            case HUGE_STRING -> "9".repeat(Math.min(m.size(), 6000));
            case EMPTY_STRING -> "";
            case INVALID_UTF8 -> "%FF%C0%80";
            case CONTROL_CHARACTERS -> "%00%0A%0D" + encode(m.text());
            case BIG_NUMBER -> "1e400";
            case WRONG_TYPE -> "-1";
            case NULL_VALUE -> "null";
            default -> encode(m.text());
        };
    }

    private static JsonNode wrongType(JsonNode value) {
        if (value.isTextual()) {
            return F.numberNode(7);
        }
        if (value.isNumber()) {
            return F.textNode("seven");
        }
        if (value.isBoolean()) {
            return F.textNode("yes");
        }
        if (value.isArray()) {
            return F.objectNode().put("not", "an array");
        }
        if (value.isObject()) {
            return F.arrayNode().add(1);
        }
        return F.booleanNode(false);
    }

    /** JSON pointers of every value under objects and arrays (not the root). */
    private static void pointers(JsonNode node, String at, List<String> out) {
        if (node.isObject()) {
            node.properties().forEach(p -> {
                var pointer = at + "/" + OpenApiContract.escape(p.getKey());
                out.add(pointer);
                pointers(p.getValue(), pointer, out);
            });
        } else if (node.isArray()) {
            for (int i = 0; i < node.size(); i++) {
                out.add(at + "/" + i);
                pointers(node.get(i), at + "/" + i, out);
            }
        }
    }

    private static void replace(JsonNode root, String pointer, JsonNode value) {
        if (pointer == null) {
            ((ObjectNode) root).set("field", value);
            return;
        }
        var parent = root.at(pointer.substring(0, pointer.lastIndexOf('/')));
        var name = last(pointer);
        if (parent instanceof ObjectNode object) {
            object.set(name, value);
        } else if (parent instanceof ArrayNode array) {
            array.set(Integer.parseInt(name), value);
        }
    }

    private static void remove(JsonNode root, String pointer) {
        var parent = root.at(pointer.substring(0, pointer.lastIndexOf('/')));
        if (parent instanceof ObjectNode object) {
            object.remove(last(pointer));
        } else if (parent instanceof ArrayNode array) {
            array.remove(Integer.parseInt(last(pointer)));
        }
    }

    private static String last(String pointer) {
        return pointer.substring(pointer.lastIndexOf('/') + 1).replace("~1", "/").replace("~0", "~");
    }

    /** The routes of the document, each with the token, path values and example body it is fuzzed from. */
    private static List<Target> targets(JsonNode document) {
        var list = new ArrayList<Target>();
        for (var path : document.get("paths").properties()) {
            for (var op : path.getValue().properties()) {
                var method = op.getKey().toUpperCase(Locale.ROOT);
                var template = path.getKey();
                var node = op.getValue();
                var scope = IsolationMatrixTest.scopeOf(method, template);
                var token = switch (scope) {
                    case PUBLIC -> null;
                    case ADMIN -> GatewayFixture.ADMIN_TOKEN;
                    default -> tenant.token();
                };
                var schemaNode = node.at("/requestBody/content/application~1json/schema");
                JsonNode schema = null;
                JsonNode example = null;
                if (!schemaNode.isMissingNode()) {
                    schema = resolve(schemaNode, document);
                    example = OpenApiContractTest.example(schemaNode, document);
                    if (!example.isObject()) {
                        example = F.objectNode();
                    }
                }
                var query = new ArrayList<String>();
                node.path("parameters").forEach(p -> {
                    if (p.path("in").asText().equals("query")) {
                        query.add(p.path("name").asText());
                    }
                });
                var values = new LinkedHashMap<String, String>();
                var matcher = PARAMETER.matcher(template);
                while (matcher.find()) {
                    values.put(matcher.group(1), value(scope, template, matcher.group(1)));
                }
                var streams = node.at("/responses/200/content").has("text/event-stream")
                        || template.endsWith("/ws") || template.startsWith("/ws/");
                var actsWithoutInput = streams || (!method.equals("GET") && example == null);
                list.add(new Target(method, template, token, example, schema, List.copyOf(query),
                        values, actsWithoutInput));
            }
        }
        return list;
    }

    private static JsonNode resolve(JsonNode schema, JsonNode document) {
        return schema.has("$ref") ? document.at(schema.get("$ref").asText().substring(1)) : schema;
    }

    private static String value(IsolationMatrixTest.Scope scope, String template, String parameter) {
        return switch (parameter) {
            case "id" -> switch (scope) {
                case ADMIN, TENANT_TOKENS -> tenant.id();
                case DELIVERY -> deliveryId;
                default -> instance.id();
            };
            case "instance_id" -> instance.id();
            case "name" -> instance.name();
            case "label" -> "default";
            case "jid" -> template.contains("/groups/") ? "120363000000000001@g.us" : "5511987650002@s.whatsapp.net";
            case "message_id" -> "3EB0C0FFEE00000000000001";
            case "call_id" -> "CA11C0FFEE000001";
            case "type" -> "image";
            case "phone" -> PHONE;
            case "file" -> "swagger-ui.css";
            case "action" -> "accept";
            case "token_id" -> IsolationMatrixTest.UNKNOWN_TOKEN_ID;
            default -> throw new AssertionError("no value for the path parameter {" + parameter + "} of " + template
                    + ": add one to SchemaFuzzTest.value");
        };
    }

    private static Http.Response send(Request request) throws Exception {
        var builder = HttpRequest.newBuilder(URI.create(gateway.http().base() + request.url()))
                .timeout(Duration.ofSeconds(30))
                .method(request.method(), request.body() == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofByteArray(request.body()));
        if (request.token() != null) {
            builder.header("Authorization", "Bearer " + request.token());
        }
        if (request.body() != null) {
            builder.header("Content-Type", "application/json");
        }
        var answer = client.send(builder.build(), HttpResponse.BodyHandlers.ofString());
        return new Http.Response(answer.statusCode(), answer.headers().map(), answer.body());
    }

    private static void envelope(String what, Http.Response response) {
        JsonNode json;
        try {
            json = JSON.readTree(response.body());
        } catch (Exception e) {
            throw new AssertionError("a 4xx not in the error envelope (not JSON): " + what);
        }
        if (json == null || json.path("success").asBoolean(true) || !json.path("error_code").isTextual()
                || !json.path("error").isTextual() || !json.path("request_id").isTextual()
                || !json.path("timestamp").isTextual()) {
            throw new AssertionError("a 4xx not in the error envelope: " + what);
        }
    }

    /** Row triggers on every gateway table (not the node's timers) that log each change into fuzz_watch.changes. */
    private static void watchTables() throws SQLException {
        try (var statement = database.createStatement()) {
            statement.execute("create schema fuzz_watch");
            statement.execute("create unlogged table fuzz_watch.changes (id bigserial primary key, tbl text, "
                    + "op text)");
            statement.execute("create function fuzz_watch.log() returns trigger language plpgsql as $$ begin "
                    + "insert into fuzz_watch.changes (tbl, op) values (TG_TABLE_NAME, TG_OP); return null; end $$");
            var tables = new ArrayList<String>();
            try (var rows = statement.executeQuery("select table_name from information_schema.tables where "
                    + "table_schema = 'public' and table_type = 'BASE TABLE' and table_name not like 'flyway%'")) {
                while (rows.next()) {
                    tables.add(rows.getString(1));
                }
            }
            tables.removeAll(BACKGROUND_TABLES);
            tables.removeAll(REQUEST_BOOKKEEPING);
            if (tables.size() < 10) {
                throw new AssertionError("too few gateway tables to watch: " + tables);
            }
            for (var table : tables) {
                statement.execute("create trigger fuzz_watch after insert or "
                        + (WORKER_UPDATED.contains(table) ? "" : "update or ") + "delete on public." + table
                        + " for each row execute function fuzz_watch.log()");
            }
        }
    }

    private static long changes() throws SQLException {
        try (var statement = database.createStatement();
             var rows = statement.executeQuery("select coalesce(max(id), 0) from fuzz_watch.changes")) {
            rows.next();
            return rows.getLong(1);
        }
    }

    private static String changedTables(long since) throws SQLException {
        try (var statement = database.prepareStatement("select tbl, op, count(*) from fuzz_watch.changes "
                + "where id > ? group by tbl, op")) {
            statement.setLong(1, since);
            var out = new StringBuilder();
            try (var rows = statement.executeQuery()) {
                while (rows.next()) {
                    out.append(rows.getString(1)).append(' ').append(rows.getString(2)).append(" x")
                            .append(rows.getLong(3)).append("; ");
                }
            }
            return out.toString();
        }
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private static String encode(String text) {
        return URLEncoder.encode(text, StandardCharsets.UTF_8).replace("+", "%20");
    }

    private static String abbreviate(Object value) {
        var text = value instanceof byte[] bytes ? new String(bytes, StandardCharsets.UTF_8) : String.valueOf(value);
        return text.length() > 160 ? text.substring(0, 160) + "...(" + text.length() + " chars)" : text;
    }
}
