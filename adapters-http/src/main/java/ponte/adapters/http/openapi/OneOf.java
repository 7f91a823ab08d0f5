package ponte.adapters.http.openapi;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * A text field (or each text of a list field) that takes only the wire names of an enum, like the event types of
 * a webhook: documented as a JSON Schema {@code enum}, so clients can offer and check the values. The enum's
 * {@code wireName()} gives each value (its lower-case name when it has none).
 */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.RECORD_COMPONENT)
public @interface OneOf {
    Class<? extends Enum<?>> value();
}
