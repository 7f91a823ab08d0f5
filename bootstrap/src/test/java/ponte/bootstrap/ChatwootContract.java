package ponte.bootstrap;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Chatwoot's application API schema (test resource {@code chatwoot/application_swagger.json}, see its SOURCE.md) as
 * a checker: which operation a method and path name, and what is wrong with a JSON body or the fields of a
 * multipart form for it. Properties the schema does not list are wrong too, except the few that Chatwoot accepts
 * beyond its pinned schema ({@link #BEYOND_SCHEMA}), each with its reason.
 */
final class ChatwootContract {
    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * Accepted although the pinned schema leaves them out: a message's {@code source_id} (Chatwoot's message
     * builder keeps it; integrations that mirror WhatsApp, Evolution API among them, send {@code WAID:<id>}), an
     * API channel's {@code webhook_url} (the API channel's callback URL, webhooks.md §4, reported back as the
     * inbox's {@code webhook_url}), and a multipart message's repeated {@code attachments[]} (webhooks.md §4).
     */
    static final Set<String> BEYOND_SCHEMA = Set.of("conversation_message_create_payload.source_id",
            "channel.webhook_url", "conversation_message_create_payload.attachments[]");

    private final JsonNode root;
    private final List<Operation> operations = new ArrayList<>();

    ChatwootContract() {
        try (var in = ChatwootContract.class.getResourceAsStream("/chatwoot/application_swagger.json")) {
            root = JSON.readTree(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        root.path("paths").properties().forEach(path -> path.getValue().properties().forEach(method -> {
            if (!method.getKey().equals("parameters")) {
                var template = path.getKey().endsWith("/") ? path.getKey().substring(0, path.getKey().length() - 1)
                        : path.getKey();
                var regex = Pattern.compile(template.replaceAll("\\{[^}]+}", "[^/]+"));
                operations.add(new Operation(method.getKey().toUpperCase(java.util.Locale.ROOT), path.getKey(), regex,
                        method.getValue()));
            }
        }));
    }

    /** The operation of {@code method} and {@code path} (a trailing slash does not matter, as in Rails). */
    Optional<Operation> operation(String method, String path) {
        var trimmed = path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
        return operations.stream().filter(o -> o.method().equals(method) && o.regex().matcher(trimmed).matches())
                .findFirst();
    }

    /** What is wrong with a JSON body for the operation: empty when it fits. */
    List<String> checkJson(Operation operation, JsonNode body) {
        var schema = operation.spec().at("/requestBody/content/application~1json/schema");
        var problems = new ArrayList<String>();
        if (schema.isMissingNode()) {
            if (body != null && !body.isEmpty()) {
                problems.add(operation + " takes no body");
            }
            return problems;
        }
        check(schema, body, refName(schema, "body"), problems);
        return problems;
    }

    /** What is wrong with the fields of a multipart body: each name must be a property of the JSON body's schema. */
    List<String> checkForm(Operation operation, Map<String, String> fields, int files) {
        var schema = resolve(operation.spec().at("/requestBody/content/application~1json/schema"));
        var name = refName(operation.spec().at("/requestBody/content/application~1json/schema"), "body");
        var problems = new ArrayList<String>();
        for (var required : schema.path("required")) {
            if (!fields.containsKey(required.asText())) {
                problems.add(name + ": required form field " + required.asText() + " is missing");
            }
        }
        for (var field : fields.entrySet()) {
            var property = schema.path("properties").path(field.getKey());
            if (property.isMissingNode() && !BEYOND_SCHEMA.contains(name + "." + field.getKey())) {
                problems.add(name + ": form field " + field.getKey() + " is not in the schema");
            } else if (property.has("enum") && !contains(property.get("enum"), field.getValue())) {
                problems.add(name + "." + field.getKey() + ": " + field.getValue() + " is not one of "
                        + property.get("enum"));
            }
        }
        if (files > 0 && !BEYOND_SCHEMA.contains(name + ".attachments[]")) {
            problems.add(name + ": takes no files");
        }
        return problems;
    }

    private void check(JsonNode schemaRef, JsonNode value, String where, List<String> problems) {
        var schema = resolve(schemaRef);
        if (schema.has("allOf")) {
            for (var part : schema.get("allOf")) {
                check(part, value, where, problems);
            }
            return;
        }
        if (value == null || value.isNull()) {
            return;
        }
        var type = schema.path("type").asText("");
        switch (type) {
            case "object" -> {
                if (!value.isObject()) {
                    problems.add(where + ": must be an object, is " + value);
                    return;
                }
                for (var required : schema.path("required")) {
                    if (!value.has(required.asText())) {
                        problems.add(where + ": required " + required.asText() + " is missing");
                    }
                }
                var properties = schema.path("properties");
                for (var field : value.properties()) {
                    var property = properties.path(field.getKey());
                    var named = refName(schemaRef, where) + "." + field.getKey();
                    if (property.isMissingNode()) {
                        if (properties.size() > 0 && !BEYOND_SCHEMA.contains(named)
                                && !BEYOND_SCHEMA.contains(lastTwo(named))) {
                            problems.add(named + " is not in the schema");
                        }
                    } else {
                        check(property, field.getValue(), named, problems);
                    }
                }
            }
            case "string" -> {
                if (!value.isTextual()) {
                    problems.add(where + ": must be a string, is " + value);
                } else if (schema.has("enum") && !contains(schema.get("enum"), value.asText())) {
                    problems.add(where + ": " + value + " is not one of " + schema.get("enum"));
                }
            }
            case "integer" -> {
                if (!value.canConvertToLong() || !value.isIntegralNumber()) {
                    problems.add(where + ": must be an integer, is " + value);
                }
            }
            case "number" -> {
                if (!value.isNumber()) {
                    problems.add(where + ": must be a number, is " + value);
                }
            }
            case "boolean" -> {
                if (!value.isBoolean()) {
                    problems.add(where + ": must be a boolean, is " + value);
                }
            }
            case "array" -> {
                if (!value.isArray()) {
                    problems.add(where + ": must be an array, is " + value);
                } else {
                    for (var item : value) {
                        check(schema.path("items"), item, where + "[]", problems);
                    }
                }
            }
            default -> { }
        }
    }

    private static String lastTwo(String named) {
        var parts = named.split("\\.");
        return parts.length < 2 ? named : parts[parts.length - 2] + "." + parts[parts.length - 1];
    }

    private JsonNode resolve(JsonNode schema) {
        var ref = schema.path("$ref").asText(null);
        if (ref == null) {
            return schema;
        }
        var target = root.at(ref.substring(1));
        // two $refs of the upstream file point at schemas it does not define (SOURCE.md): anything fits them
        return target.isMissingNode() ? JSON.createObjectNode() : resolve(target);
    }

    private static String refName(JsonNode schema, String fallback) {
        var ref = schema.path("$ref").asText(null);
        return ref == null ? fallback : ref.substring(ref.lastIndexOf('/') + 1);
    }

    private static boolean contains(JsonNode values, String value) {
        for (var candidate : values) {
            if (candidate.asText().equals(value)) {
                return true;
            }
        }
        return false;
    }

    record Operation(String method, String path, Pattern regex, JsonNode spec) {
        @Override
        public String toString() {
            return method + " " + path;
        }
    }
}
