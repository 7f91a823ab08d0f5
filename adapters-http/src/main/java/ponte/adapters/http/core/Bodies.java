package ponte.adapters.http.core;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import io.javalin.http.Context;
import java.io.IOException;
import java.lang.reflect.ParameterizedType;
import java.util.List;
import java.util.stream.Collectors;
import ponte.domain.validation.ValidationException;
import ponte.domain.validation.Violation;

/** Reads request bodies into records, telling unreadable JSON apart from JSON with the wrong fields. */
public final class Bodies {
    private static final PropertyNamingStrategies.SnakeCaseStrategy SNAKE =
            new PropertyNamingStrategies.SnakeCaseStrategy();

    private final ObjectMapper json;

    public Bodies(ObjectMapper json) {
        this.json = json;
    }

    /** The raw body, read within its route's cap ({@link BodyLimits}); 413 when it is larger. */
    public static byte[] bytes(Context ctx) {
        return BodyLimits.read(ctx);
    }

    public <T> T read(Context ctx, Class<T> type) {
        byte[] body = bytes(ctx);
        if (body.length == 0 || new String(body, java.nio.charset.StandardCharsets.UTF_8).isBlank()) {
            throw new ApiException(ErrorCode.MALFORMED_JSON, "a JSON object is required as the request body");
        }
        JsonNode tree;
        try {
            // syntax first: anything that is not one JSON object is malformed, whatever fields it would have had
            tree = json.readTree(body);
        } catch (IOException e) {
            throw new ApiException(ErrorCode.MALFORMED_JSON, "the request body is not valid JSON");
        }
        if (tree == null || !tree.isObject()) {
            throw new ApiException(ErrorCode.MALFORMED_JSON, "the request body must be a JSON object");
        }
        return fields(tree, type);
    }

    /** Maps a JSON object onto a record; what does not fit is a validation error naming the field. */
    public <T> T fields(JsonNode tree, Class<T> type) {
        var nulls = new java.util.ArrayList<Violation>();
        nulCharacters(tree, "", nulls);
        explicitNulls(tree, type, "", nulls);
        if (!nulls.isEmpty()) {
            throw new ValidationException(nulls);
        }
        try {
            return json.treeToValue(tree, type);
        } catch (UnrecognizedPropertyException e) {
            throw ValidationException.of(path(e), "is not a known field");
        } catch (MismatchedInputException e) {
            throw ValidationException.of(path(e), mustBe(e.getTargetType()));
        } catch (JsonMappingException e) {
            throw unwrapValidation(e);
        } catch (JsonProcessingException e) {
            throw ValidationException.of("body", "could not be read: " + e.getOriginalMessage());
        }
    }

    /** A record's compact constructor may throw while Jackson builds it; its violations are the real answer. */
    private static RuntimeException unwrapValidation(JsonMappingException e) {
        for (Throwable cause = e.getCause(); cause != null; cause = cause.getCause()) {
            if (cause instanceof ValidationException validation) {
                return validation;
            }
        }
        return new ValidationException(List.of(new Violation(path(e), "is not valid")));
    }

    /**
     * The NUL character (U+0000) in any text, key or value, at any depth: refused as a validation error naming where
     * it is. No text the gateway keeps may hold it (PostgreSQL's {@code text} cannot), and none of the API's fields
     * has a use for it.
     */
    private static void nulCharacters(JsonNode node, String path, List<Violation> violations) {
        if (node.isTextual() && node.textValue().indexOf('\u0000') >= 0) {
            violations.add(new Violation(path.isEmpty() ? "body" : path, "must not contain the NUL character (U+0000)"));
        } else if (node.isObject()) {
            node.properties().forEach(entry -> {
                String field = path.isEmpty() ? entry.getKey() : path + "." + entry.getKey();
                if (entry.getKey().indexOf('\u0000') >= 0) {
                    violations.add(new Violation(path.isEmpty() ? "body" : path,
                            "must not have a key containing the NUL character (U+0000)"));
                } else {
                    nulCharacters(entry.getValue(), field, violations);
                }
            });
        } else if (node.isArray()) {
            for (int i = 0; i < node.size(); i++) {
                nulCharacters(node.get(i), path + "[" + i + "]", violations);
            }
        }
    }

    /**
     * A {@code null} sent for a typed field of a record: refused (it would read as "absent" and silently keep the old
     * value). Free-form fields ({@code JsonNode}, {@code Object}) take it.
     */
    private static void explicitNulls(JsonNode tree, Class<?> type, String prefix, List<Violation> violations) {
        if (!type.isRecord() || !tree.isObject()) {
            return;
        }
        for (var component : type.getRecordComponents()) {
            var field = SNAKE.translate(component.getName());
            var value = tree.get(field);
            var declared = component.getType();
            if (value == null || declared == Object.class || JsonNode.class.isAssignableFrom(declared)) {
                continue;
            }
            if (value.isNull()) {
                violations.add(new Violation(prefix + field, mustBe(declared)));
            } else if (value.isContainerNode() && component.getGenericType() instanceof ParameterizedType generic) {
                nullElements(value, generic, prefix + field, violations);
            } else {
                explicitNulls(value, declared, prefix + field + ".", violations);
            }
        }
    }

    /** A null inside a list of texts or a map of texts ({@code events}, {@code headers}) is refused the same way. */
    private static void nullElements(JsonNode container, ParameterizedType type, String field,
                                     List<Violation> violations) {
        var arguments = type.getActualTypeArguments();
        if (!(arguments[arguments.length - 1] instanceof Class<?> element) || element == Object.class
                || JsonNode.class.isAssignableFrom(element)) {
            return;
        }
        if (container.isArray()) {
            for (int i = 0; i < container.size(); i++) {
                if (container.get(i).isNull()) {
                    violations.add(new Violation(field + "[" + i + "]", mustBe(element)));
                }
            }
        } else {
            container.properties().forEach(entry -> {
                if (entry.getValue().isNull()) {
                    violations.add(new Violation(field + "." + entry.getKey(), mustBe(element)));
                }
            });
        }
    }

    /** What a field of this declared type must be, in the words of JSON (not of Java). */
    static String mustBe(Class<?> type) {
        if (type == null) {
            return "has the wrong type";
        }
        if (type == Boolean.class || type == boolean.class) {
            return "must be a boolean (true or false)";
        }
        if (type == Integer.class || type == int.class || type == Long.class || type == long.class
                || type == Short.class || type == short.class) {
            return "must be an integer";
        }
        if (Number.class.isAssignableFrom(type) || type == double.class || type == float.class) {
            return "must be a number";
        }
        if (type == String.class) {
            return "must be a string";
        }
        if (type == java.util.UUID.class) {
            return "must be a UUID string";
        }
        if (type == java.time.Instant.class) {
            return "must be an ISO-8601 timestamp string";
        }
        if (type.isArray() || java.util.Collection.class.isAssignableFrom(type)) {
            return "must be an array";
        }
        if (java.util.Map.class.isAssignableFrom(type) || type.isRecord()) {
            return "must be an object";
        }
        return "has the wrong type";
    }

    private static String path(JsonMappingException e) {
        var path = e.getPath().stream()
                .map(ref -> ref.getFieldName() != null ? ref.getFieldName() : "[" + ref.getIndex() + "]")
                .collect(Collectors.joining("."));
        return path.isEmpty() ? "body" : path.replace(".[", "[");
    }
}
