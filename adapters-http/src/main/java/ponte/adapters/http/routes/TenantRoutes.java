package ponte.adapters.http.routes;

import java.util.UUID;
import ponte.adapters.http.core.Access;
import ponte.adapters.http.core.AuditTrail;
import ponte.adapters.http.core.Bodies;
import ponte.adapters.http.core.Routes;
import ponte.adapters.http.dto.TenantDtos;
import ponte.application.error.NotFoundException;
import ponte.application.port.in.TenantsUseCase.CreateTenantCommand;
import ponte.application.port.in.UseCases;

/** The server operator's routes: tenants (their account tokens are in {@link TokenRoutes}). */
public final class TenantRoutes {
    private TenantRoutes() {}

    public static void register(Routes routes, UseCases useCases, Bodies bodies) {
        routes.post("/v1/tenants").access(Access.ADMIN).tag("Tenants").summary("Create a tenant")
                .description("Returns the tenant and its first account token, which is shown only here.")
                .body(TenantDtos.CreateTenant.class).returns(201, TenantDtos.Created.class)
                .handle(ctx -> {
                    var body = bodies.read(ctx, TenantDtos.CreateTenant.class);
                    var created = useCases.tenants().create(new CreateTenantCommand(body.name(),
                            body.maxInstances()));
                    ctx.status(201).json(new TenantDtos.Created(true, TenantDtos.TenantView.of(created.tenant()),
                            created.token()));
                });
        Paging.documented(routes.get("/v1/tenants")).access(Access.ADMIN).tag("Tenants").summary("List tenants")
                .returns(200, TenantDtos.Listing.class)
                .handle(ctx -> {
                    var page = useCases.tenants().list(Paging.of(ctx));
                    ctx.json(new TenantDtos.Listing(true, page.items().stream().map(TenantDtos.TenantView::of)
                            .toList(), page.nextCursor()));
                });
        routes.get("/v1/tenants/{id}").access(Access.ADMIN).tag("Tenants").summary("Get a tenant")
                .returns(200, TenantDtos.One.class).errors(404)
                .handle(ctx -> ctx.json(new TenantDtos.One(true,
                        TenantDtos.TenantView.of(useCases.tenants().get(tenantId(ctx.pathParam("id")))))));
        routes.delete("/v1/tenants/{id}").access(Access.ADMIN).tag("Tenants").summary("Delete a tenant")
                .description("Soft-deletes the tenant and its instances and revokes every token of the tenant.")
                .returns(204, null).errors(404)
                .handle(ctx -> {
                    useCases.tenants().delete(tenantId(ctx.pathParam("id")));
                    ctx.status(204);
                });
    }

    /** The tenant's UUID from the path; anything else is a tenant that does not exist. */
    public static UUID tenantId(String raw) {
        try {
            return UUID.fromString(raw);
        } catch (IllegalArgumentException e) {
            throw new NotFoundException("tenant " + raw + " not found");
        }
    }
}
