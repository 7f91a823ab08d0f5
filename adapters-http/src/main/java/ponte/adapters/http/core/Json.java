package ponte.adapters.http.core;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.type.LogicalType;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;

/**
 * The API's JSON dialect, configured once for every route: snake_case fields, ISO-8601 timestamps, unknown input
 * fields refused, and every value read as exactly the JSON type its field declares.
 *
 * <p>No coercion: a number is not a flag, {@code "10"} is not an integer, {@code 2.9} is not an integer (it is not
 * rounded down either), {@code 42} is not a text. A JSON {@code null} is not a value of a flag, a number, a text, a
 * list or a map: such a field is left out to keep (or default) it, never sent as {@code null} (which would silently
 * keep the old value). Jackson cannot tell an absent record component from a null one, so {@link Bodies} refuses
 * the explicit nulls before mapping; only free-form JSON fields (the inline configuration blocks of {@code POST
 * /v1/instances}) take a {@code null}, as "absent". {@link Bodies} turns each refusal into a
 * {@code VALIDATION_ERROR} naming the field.
 */
public final class Json {
    private Json() {}

    public static ObjectMapper mapper() {
        var mapper = JsonMapper.builder()
                .disable(MapperFeature.ALLOW_COERCION_OF_SCALARS)
                .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
                .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
                // {"text":"a","text":"b"} is ambiguous: refuse it rather than let the last one silently win
                .enable(com.fasterxml.jackson.core.StreamReadFeature.STRICT_DUPLICATE_DETECTION)
                .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
                .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
                .propertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
                .addModule(new JavaTimeModule())
                .build();
        refuse(mapper, LogicalType.Boolean, CoercionInputShape.String, CoercionInputShape.Integer,
                CoercionInputShape.Float, CoercionInputShape.EmptyString);
        refuse(mapper, LogicalType.Integer, CoercionInputShape.String, CoercionInputShape.Float,
                CoercionInputShape.Boolean, CoercionInputShape.EmptyString);
        refuse(mapper, LogicalType.Float, CoercionInputShape.String, CoercionInputShape.Boolean,
                CoercionInputShape.EmptyString);
        refuse(mapper, LogicalType.Textual, CoercionInputShape.Integer, CoercionInputShape.Float,
                CoercionInputShape.Boolean);
        // a single value is not a list, and "" is not an empty list or object
        refuse(mapper, LogicalType.Collection, CoercionInputShape.String, CoercionInputShape.EmptyString);
        refuse(mapper, LogicalType.Map, CoercionInputShape.String, CoercionInputShape.EmptyString);
        refuse(mapper, LogicalType.POJO, CoercionInputShape.String, CoercionInputShape.EmptyString);
        return mapper;
    }

    private static void refuse(ObjectMapper mapper, LogicalType type, CoercionInputShape... shapes) {
        var config = mapper.coercionConfigFor(type);
        for (var shape : shapes) {
            config.setCoercion(shape, CoercionAction.Fail);
        }
    }
}
