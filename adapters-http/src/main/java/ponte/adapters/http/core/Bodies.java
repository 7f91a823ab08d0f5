package ponte.adapters.http.core;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import io.javalin.http.Context;
import java.io.IOException;
import java.util.List;
import java.util.stream.Collectors;
import ponte.domain.validation.ValidationException;
import ponte.domain.validation.Violation;

/** Reads request bodies into records, telling unreadable JSON apart from JSON with the wrong fields. */
public final class Bodies {
    private final ObjectMapper json;

    public Bodies(ObjectMapper json) {
        this.json = json;
    }

    public <T> T read(Context ctx, Class<T> type) {
        byte[] body = ctx.bodyAsBytes();
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
        try {
            return json.treeToValue(tree, type);
        } catch (UnrecognizedPropertyException e) {
            throw ValidationException.of(path(e), "is not a known field");
        } catch (MismatchedInputException e) {
            throw ValidationException.of(path(e), "has the wrong type");
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

    private static String path(JsonMappingException e) {
        var path = e.getPath().stream()
                .map(ref -> ref.getFieldName() != null ? ref.getFieldName() : "[" + ref.getIndex() + "]")
                .collect(Collectors.joining("."));
        return path.isEmpty() ? "body" : path.replace(".[", "[");
    }
}
