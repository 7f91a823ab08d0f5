package ponte.adapters.http.openapi;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Documents a field whose Java type says less than its JSON does: one read later than the record it sits in (kept
 * as a JSON tree, like the inline blocks of {@code POST /v1/instances}) with the schema of the record it is read
 * into, or one written as one of several records (an inline block's result or its error) with each of them.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.RECORD_COMPONENT)
public @interface SchemaOf {
    /** One record, or the records the value is one of. */
    Class<?>[] value();
}
