package ponte.adapters.http.openapi;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * An example value for a request field, or a whole example object for a request record, that the API accepts:
 * what Swagger UI and client generators put in the body they offer. On a text field the value is the text itself;
 * on any other field or on a record it is JSON.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.TYPE, ElementType.RECORD_COMPONENT})
public @interface Example {
    String value();
}
