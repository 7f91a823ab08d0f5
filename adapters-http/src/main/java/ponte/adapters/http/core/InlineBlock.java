package ponte.adapters.http.core;

import com.fasterxml.jackson.databind.JsonNode;
import ponte.domain.auth.Principal;
import ponte.domain.instance.Instance;

/**
 * One optional configuration block of {@code POST /v1/instances} ({@code proxy}, {@code webhook}, ...), applied to
 * the just-created instance exactly as its own route would. A block that fails does not undo the instance.
 */
public interface InlineBlock {
    /** The block's field name in the request and response bodies. */
    String name();

    /** The request record of the block's own route; documents the field in OpenAPI. */
    Class<?> requestType();

    /** Configures the block and returns what its own route's GET would show (secrets masked). */
    Object apply(Principal caller, Instance instance, JsonNode block);

    static InlineBlock of(String name, Class<?> requestType, Applier applier) {
        return new InlineBlock() {
            @Override
            public String name() {
                return name;
            }

            @Override
            public Class<?> requestType() {
                return requestType;
            }

            @Override
            public Object apply(Principal caller, Instance instance, JsonNode block) {
                return applier.apply(caller, instance, block);
            }
        };
    }

    @FunctionalInterface
    interface Applier {
        Object apply(Principal caller, Instance instance, JsonNode block);
    }
}
