package ponte.adapters.http.openapi;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.time.Instant;
import java.util.Collection;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;

/**
 * JSON Schemas (OpenAPI 3.1 dialect) derived from the request and response records themselves, so the document
 * cannot drift from what the code reads and writes.
 */
final class JsonSchemas {
    private static final JsonNodeFactory F = JsonNodeFactory.instance;
    private static final PropertyNamingStrategies.SnakeCaseStrategy SNAKE = new PropertyNamingStrategies.SnakeCaseStrategy();

    private static final com.fasterxml.jackson.databind.ObjectMapper EXAMPLES =
            new com.fasterxml.jackson.databind.ObjectMapper();

    private final Map<String, ObjectNode> components = new TreeMap<>();

    Map<String, ObjectNode> components() {
        return components;
    }

    /** The schema of a response body or field; records become components whose every field is required. */
    ObjectNode schemaOf(Type type) {
        return schemaOf(type, false);
    }

    /** The schema of a request body: records refuse unknown fields, as the API does. */
    ObjectNode requestSchemaOf(Type type) {
        return schemaOf(type, true);
    }

    private ObjectNode schemaOf(Type type, boolean request) {
        if (type instanceof ParameterizedType p) {
            var raw = (Class<?>) p.getRawType();
            if (Collection.class.isAssignableFrom(raw)) {
                return F.objectNode().put("type", "array")
                        .set("items", schemaOf(p.getActualTypeArguments()[0], request));
            }
            if (Map.class.isAssignableFrom(raw)) {
                return F.objectNode().put("type", "object")
                        .set("additionalProperties", schemaOf(p.getActualTypeArguments()[1], request));
            }
            return schemaOf(raw, request);
        }
        var c = (Class<?>) type;
        if (c == String.class) {
            return F.objectNode().put("type", "string");
        }
        if (c == UUID.class) {
            return F.objectNode().put("type", "string").put("format", "uuid");
        }
        if (c == Instant.class) {
            return F.objectNode().put("type", "string").put("format", "date-time");
        }
        if (c == boolean.class || c == Boolean.class) {
            return F.objectNode().put("type", "boolean");
        }
        if (c == int.class || c == Integer.class) {
            return F.objectNode().put("type", "integer").put("format", "int32");
        }
        if (c == long.class || c == Long.class) {
            return F.objectNode().put("type", "integer").put("format", "int64");
        }
        if (c == double.class || c == Double.class) {
            return F.objectNode().put("type", "number");
        }
        if (c == Object.class || JsonNode.class.isAssignableFrom(c)) {
            return F.objectNode();
        }
        if (c.isEnum()) {
            var node = F.objectNode().put("type", "string");
            var values = node.putArray("enum");
            for (var constant : c.getEnumConstants()) {
                values.add(constant.toString().toLowerCase(java.util.Locale.ROOT));
            }
            return node;
        }
        if (c.isRecord()) {
            return reference(c, request);
        }
        throw new IllegalArgumentException("no JSON schema for " + c.getName() + ": use a record or a plain type");
    }

    private ObjectNode reference(Class<?> record, boolean request) {
        var name = componentName(record);
        if (!components.containsKey(name)) {
            var schema = F.objectNode().put("type", "object");
            components.put(name, schema);
            var inclusion = record.getAnnotation(JsonInclude.class);
            boolean nullsLeftOut = inclusion != null && inclusion.value() == JsonInclude.Include.NON_NULL;
            var properties = schema.putObject("properties");
            var required = F.arrayNode();
            for (RecordComponent component : record.getRecordComponents()) {
                var field = SNAKE.translate(component.getName());
                boolean nullable = component.isAnnotationPresent(Nullable.class);
                var property = shapeOf(component, request);
                if (nullable && !nullsLeftOut) {
                    property = orNull(property);
                }
                var doc = component.getAnnotation(Doc.class);
                if (doc != null) {
                    property = property.has("$ref")
                            ? F.objectNode().<ObjectNode>set("allOf", F.arrayNode().add(property))
                            : property;
                    property.put("description", doc.value());
                }
                var example = component.getAnnotation(Example.class);
                if (example != null) {
                    property.set("example", exampleOf(example.value(), component.getType() == String.class));
                }
                properties.set(field, property);
                if (!request && !(nullable && nullsLeftOut)) {
                    required.add(field);
                }
            }
            if (request) {
                schema.put("additionalProperties", false);
            } else if (!required.isEmpty()) {
                schema.set("required", required);
            }
            var doc = record.getAnnotation(Doc.class);
            if (doc != null) {
                schema.put("description", doc.value());
            }
            var example = record.getAnnotation(Example.class);
            if (example != null) {
                schema.set("example", exampleOf(example.value(), false));
            }
        }
        return F.objectNode().put("$ref", "#/components/schemas/" + name);
    }

    private ObjectNode shapeOf(RecordComponent component, boolean request) {
        var shape = component.getAnnotation(SchemaOf.class);
        var values = component.getAnnotation(OneOf.class);
        if (values != null) {
            var schema = schemaOf(component.getGenericType(), request);
            var text = schema.has("items") ? (ObjectNode) schema.get("items") : schema;
            var names = text.putArray("enum");
            for (var constant : values.value().getEnumConstants()) {
                names.add(wireName(constant));
            }
            return schema;
        }
        if (shape == null) {
            return schemaOf(component.getGenericType(), request);
        }
        if (shape.value().length == 1) {
            return schemaOf(shape.value()[0], request);
        }
        var anyOf = F.arrayNode();
        for (var one : shape.value()) {
            anyOf.add(schemaOf(one, request));
        }
        return F.objectNode().set("anyOf", anyOf);
    }

    private static String wireName(Enum<?> constant) {
        try {
            return (String) constant.getClass().getMethod("wireName").invoke(constant);
        } catch (ReflectiveOperationException e) {
            return constant.name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    /** The same schema, admitting null too (JSON Schema 2020-12: a type list, or one more alternative). */
    private static ObjectNode orNull(ObjectNode property) {
        if (property.isEmpty()) {
            return property;
        }
        if (property.has("type") && property.get("type").isTextual()) {
            var types = F.arrayNode().add(property.get("type").asText()).add("null");
            property.set("type", types);
            return property;
        }
        if (property.has("anyOf")) {
            ((com.fasterxml.jackson.databind.node.ArrayNode) property.get("anyOf")).addObject().put("type", "null");
            return property;
        }
        var anyOf = F.arrayNode().add(property);
        anyOf.addObject().put("type", "null");
        return F.objectNode().set("anyOf", anyOf);
    }

    private static JsonNode exampleOf(String value, boolean text) {
        if (text) {
            return F.textNode(value);
        }
        try {
            return EXAMPLES.readTree(value);
        } catch (java.io.IOException e) {
            throw new IllegalArgumentException("an example is not JSON: " + value, e);
        }
    }

    private static String componentName(Class<?> record) {
        var enclosing = record.getEnclosingClass();
        return enclosing == null ? record.getSimpleName() : enclosing.getSimpleName() + record.getSimpleName();
    }
}
