package ponte.adapters.http.openapi;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Documents a field read later than the record it sits in (kept as a JSON tree, like the inline blocks of
 * {@code POST /v1/instances}) with the schema of the record it is read into.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.RECORD_COMPONENT)
public @interface SchemaOf {
    Class<?> value();
}
