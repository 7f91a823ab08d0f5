package ponte.adapters.http.core;

import io.javalin.http.Context;
import java.util.Set;
import java.util.UUID;
import ponte.application.model.AuditEntry;
import ponte.application.port.in.AuditUseCase;

/**
 * Writes the audit log entry of every authenticated state-changing request (POST, PUT, PATCH, DELETE), after its
 * answer is decided, whether it succeeded or was refused (once the caller was known to reach what it named): who (the token's kind and id), what (method, route
 * template, path, and the resource it named or created), the outcome (the HTTP status) and when. The body, the
 * query string (where a browser's {@code ?token=} rides) and headers are never read.
 *
 * <p>The resource is what the handler named with {@link #resource(Context, Object)} (the id of what it created), or
 * else the instance the path named (always its id, also when the path used its name), else the route's {@code {id}}
 * path value. The tenant is the caller's; for the admin token on a tenant's route
 * ({@code /v1/tenants/{id}/...}), that tenant's, so the tenant sees what the operator did to it.
 */
public final class AuditTrail {
    private static final System.Logger LOG = System.getLogger(AuditTrail.class.getName());
    private static final String RESOURCE = "ponte.audit.resource";
    private static final String REACHED = "ponte.audit.reached";
    private static final String INSTANCE = "ponte.audit.instance";
    private static final Set<String> CHANGING = Set.of("POST", "PUT", "PATCH", "DELETE");

    private final AuditUseCase audit;

    public AuditTrail(AuditUseCase audit) {
        this.audit = audit;
    }

    /**
     * Marks a request that passed authentication, access and the reach checks (its instance or tenant is the
     * caller's): only these are logged. A request refused before (another tenant's resource, a token of the wrong
     * kind) changed nothing of anyone's, and logging it in the caller's tenant would echo the ids it probed.
     */
    static void reached(Context ctx) {
        ctx.attribute(REACHED, Boolean.TRUE);
    }

    /** The id of the instance the path named (by its id or its name): the resource unless a handler names another. */
    static void instance(Context ctx, UUID id) {
        ctx.attribute(INSTANCE, id.toString());
    }

    /** Names the resource this request created or changed, when the path does not say it. */
    public static void resource(Context ctx, Object id) {
        ctx.attribute(RESOURCE, String.valueOf(id));
    }

    public void finish(Context ctx) {
        var method = ctx.method().name();
        var principal = Authenticator.principalOrNull(ctx);
        var route = HttpMetrics.route(ctx);
        if (principal == null || route == null || ctx.attribute(REACHED) == null || !CHANGING.contains(method)) {
            return;
        }
        String resource = ctx.attribute(RESOURCE);
        var params = ctx.pathParamMap();
        if (resource == null) {
            resource = ctx.attribute(INSTANCE);
        }
        if (resource == null) {
            resource = params.get("id");
        }
        var tenant = principal.tenantId();
        if (tenant == null && route.startsWith("/v1/tenants/{id}")) {
            tenant = uuidOrNull(params.get("id"));
        }
        try {
            audit.record(new AuditEntry(null, tenant, principal.kind(), principal.tokenId(), method, route,
                    ctx.path(), resource, ctx.statusCode(), null));
        } catch (RuntimeException e) {
            // the answer is already decided: a lost audit entry must not turn it into an error
            LOG.log(System.Logger.Level.ERROR, "could not write the audit entry of {0} {1}: {2}", method, route,
                    e.toString());
        }
    }

    private static UUID uuidOrNull(String raw) {
        try {
            return raw == null ? null : UUID.fromString(raw);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }
}
