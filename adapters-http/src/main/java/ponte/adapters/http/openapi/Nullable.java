package ponte.adapters.http.openapi;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * A response field that may be {@code null} (it is always present): its schema admits {@code null} besides its type,
 * so a strict client generated from the document reads it as optional instead of failing on it.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.RECORD_COMPONENT)
public @interface Nullable {}
