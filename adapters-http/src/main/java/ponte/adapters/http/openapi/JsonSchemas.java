package ponte.adapters.http.openapi;

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

    private final Map<String, ObjectNode> components = new TreeMap<>();

    Map<String, ObjectNode> components() {
        return components;
    }

    ObjectNode schemaOf(Type type) {
        if (type instanceof ParameterizedType p) {
            var raw = (Class<?>) p.getRawType();
            if (Collection.class.isAssignableFrom(raw)) {
                return F.objectNode().put("type", "array").set("items", schemaOf(p.getActualTypeArguments()[0]));
            }
            if (Map.class.isAssignableFrom(raw)) {
                return F.objectNode().put("type", "object")
                        .set("additionalProperties", schemaOf(p.getActualTypeArguments()[1]));
            }
            return schemaOf(raw);
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
        if (c == int.class || c == Integer.class || c == long.class || c == Long.class) {
            return F.objectNode().put("type", "integer");
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
            return reference(c);
        }
        throw new IllegalArgumentException("no JSON schema for " + c.getName() + ": use a record or a plain type");
    }

    private ObjectNode reference(Class<?> record) {
        var name = componentName(record);
        if (!components.containsKey(name)) {
            var schema = F.objectNode().put("type", "object");
            components.put(name, schema);
            var properties = schema.putObject("properties");
            for (RecordComponent component : record.getRecordComponents()) {
                var shape = component.getAnnotation(SchemaOf.class);
                var property = schemaOf(shape != null ? shape.value() : component.getGenericType());
                var doc = component.getAnnotation(Doc.class);
                if (doc != null) {
                    property = property.has("$ref")
                            ? F.objectNode().<ObjectNode>set("allOf", F.arrayNode().add(property))
                            : property;
                    property.put("description", doc.value());
                }
                properties.set(SNAKE.translate(component.getName()), property);
            }
            var doc = record.getAnnotation(Doc.class);
            if (doc != null) {
                schema.put("description", doc.value());
            }
        }
        return F.objectNode().put("$ref", "#/components/schemas/" + name);
    }

    private static String componentName(Class<?> record) {
        var enclosing = record.getEnclosingClass();
        return enclosing == null ? record.getSimpleName() : enclosing.getSimpleName() + record.getSimpleName();
    }
}
