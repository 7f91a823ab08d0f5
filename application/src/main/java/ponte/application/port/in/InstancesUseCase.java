package ponte.application.port.in;

import java.util.Map;
import java.util.regex.Pattern;
import ponte.application.model.Page;
import ponte.application.model.PageRequest;
import ponte.domain.auth.Principal;
import ponte.domain.instance.Instance;
import ponte.domain.instance.InstanceName;
import ponte.domain.validation.Violations;

/** A tenant's instances: created, read and deleted by its account token; an instance token sees only its own. */
public interface InstancesUseCase {
    /**
     * Creates an instance in the caller's tenant with its instance token, returned here and never again. Once the
     * instance is stored, {@code setup} configures it (webhooks, proxy, ...); only then is its {@code created} event
     * fanned out, so what {@code setup} subscribed hears it. A failing {@code setup} does not undo the instance.
     */
    CreatedInstance create(Principal caller, CreateInstanceCommand command, InstanceSetup setup);

    /** The caller's live instances, newest first; an instance token sees only its own. */
    Page<Instance> list(Principal caller, String nameFilter, PageRequest page);

    /** By UUID or by name; another tenant's instance is not found, never forbidden. */
    Instance get(Principal caller, String idOrName);

    /** Soft delete: frees the name, revokes the instance's tokens; its delivery log stays. */
    void delete(Principal caller, String idOrName);

    /** Configures a just-created instance; each part applies (or fails) on its own, in its own transaction. */
    @FunctionalInterface
    interface InstanceSetup {
        void configure(Instance instance);
    }

    record CreateInstanceCommand(InstanceName name, String customToken, Map<String, Object> metadata) {
        private static final Pattern TOKEN_SHAPE = Pattern.compile("[A-Za-z0-9._~+/=-]{16,256}");

        public CreateInstanceCommand {
            new Violations()
                    .check(customToken == null || TOKEN_SHAPE.matcher(customToken).matches(), "token",
                            "must be 16-256 characters of A-Z, a-z, 0-9 and . _ ~ + / = -")
                    .throwIfAny();
            // free-form JSON from the user: a null value is a value (Map.copyOf would refuse it)
            metadata = metadata == null ? Map.of() : java.util.Collections.unmodifiableMap(
                    new java.util.LinkedHashMap<>(metadata));
        }
    }

    record CreatedInstance(Instance instance, String token) {}
}
