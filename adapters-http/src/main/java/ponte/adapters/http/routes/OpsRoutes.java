package ponte.adapters.http.routes;

import java.util.function.BooleanSupplier;
import ponte.adapters.http.core.Access;
import ponte.adapters.http.core.ApiException;
import ponte.adapters.http.core.Authenticator;
import ponte.adapters.http.core.ErrorCode;
import ponte.adapters.http.core.Routes;
import ponte.adapters.http.dto.OpsDtos;

/** Liveness, readiness, metrics and /v1/me. */
public final class OpsRoutes {
    private OpsRoutes() {}

    public static void register(Routes routes, BooleanSupplier databaseReachable,
                                java.util.function.Supplier<String> prometheusScrape) {
        routes.get("/healthz").access(Access.PUBLIC).tag("Operations").summary("Liveness: the process is up")
                .returns(200, OpsDtos.Health.class)
                .handle(ctx -> ctx.json(new OpsDtos.Health(true, "up")));
        routes.get("/readyz").access(Access.PUBLIC).tag("Operations")
                .summary("Readiness: the database answers").returns(200, OpsDtos.Health.class).errors(503)
                .handle(ctx -> {
                    if (!databaseReachable.getAsBoolean()) {
                        throw new ApiException(ErrorCode.UNAVAILABLE, "the database does not answer");
                    }
                    ctx.json(new OpsDtos.Health(true, "ready"));
                });
        routes.get("/metrics").access(Access.PUBLIC).tag("Operations").summary("Prometheus metrics")
                .returnsText("text/plain")
                .handle(ctx -> ctx.contentType("text/plain; version=0.0.4; charset=utf-8")
                        .result(prometheusScrape.get()));
        routes.get("/v1/me").access(Access.ANY_TOKEN).tag("Auth").summary("Which token this is and what it reaches")
                .returns(200, OpsDtos.Me.class)
                .handle(ctx -> {
                    var me = Authenticator.principal(ctx);
                    var scope = switch (me.kind()) {
                        case ADMIN -> "manages tenants and their account tokens";
                        case ACCOUNT -> "every instance of tenant " + me.tenantId() + " and its tenant-wide settings";
                        case INSTANCE -> "instance " + me.instanceId() + " only";
                    };
                    ctx.json(new OpsDtos.Me(true, me.kind().wireName(), me.tenantId(), me.instanceId(), scope));
                });
    }
}
