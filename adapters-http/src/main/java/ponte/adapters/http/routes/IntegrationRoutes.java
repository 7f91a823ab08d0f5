package ponte.adapters.http.routes;

import ponte.adapters.http.core.Access;
import ponte.adapters.http.core.Authenticator;
import ponte.adapters.http.core.Bodies;
import ponte.adapters.http.core.InlineBlock;
import ponte.adapters.http.core.Routes;
import ponte.adapters.http.dto.InstanceDtos;
import ponte.adapters.http.dto.IntegrationDtos;
import ponte.application.error.NotFoundException;
import ponte.application.port.in.ChatwootConfigUseCase.ConfigureChatwoot;
import ponte.application.port.in.S3ConfigUseCase.ConfigureS3;
import ponte.application.port.in.UseCases;
import ponte.domain.auth.Principal;

/** An instance's Chatwoot and S3 integrations. */
public final class IntegrationRoutes {
    private IntegrationRoutes() {}

    public static void register(Routes routes, UseCases useCases, Bodies bodies) {
        var chatwoot = useCases.chatwootConfig();
        routes.get("/v1/instances/{id}/chatwoot").access(Access.ACCOUNT_OR_INSTANCE).tag("Chatwoot")
                .summary("Get an instance's Chatwoot integration")
                .description("The api_token is never returned. 404 when the instance has none.")
                .returns(200, IntegrationDtos.ChatwootResponse.class).errors(404)
                .handle(ctx -> {
                    var id = ctx.pathParam("id");
                    var state = chatwoot.find(Authenticator.principal(ctx), id)
                            .orElseThrow(() -> new NotFoundException("instance '" + id + "' has no Chatwoot "
                                    + "configuration"));
                    ctx.json(new IntegrationDtos.ChatwootResponse(true, IntegrationDtos.ChatwootView.of(state)));
                });
        routes.put("/v1/instances/{id}/chatwoot").access(Access.ACCOUNT_OR_INSTANCE).tag("Chatwoot")
                .summary("Configure and activate an instance's Chatwoot integration")
                .description("Checks the token and the account against Chatwoot, then uses the API inbox named "
                        + "`inbox_name` or creates it, its webhook pointing at "
                        + "`POST /v1/chatwoot/webhook/{instance_id}` "
                        + "of this gateway (PONTE_PUBLIC_URL). A failed activation is stored and answered with "
                        + "`status: error` and a `status_reason` saying what to fix; send the configuration again "
                        + "once fixed. A partial update: absent fields keep their stored value.")
                .body(IntegrationDtos.ChatwootBody.class).returns(200, IntegrationDtos.ChatwootResponse.class)
                .errors(404)
                .handle(ctx -> ctx.json(new IntegrationDtos.ChatwootResponse(true, configureChatwoot(useCases,
                        Authenticator.principal(ctx), ctx.pathParam("id"),
                        bodies.read(ctx, IntegrationDtos.ChatwootBody.class)))));
        routes.delete("/v1/instances/{id}/chatwoot").access(Access.ACCOUNT_OR_INSTANCE).tag("Chatwoot")
                .summary("Remove an instance's Chatwoot integration")
                .description("Forgets the configuration and its token; the Chatwoot inbox itself is left as it is.")
                .returns(204, null).errors(404)
                .handle(ctx -> {
                    chatwoot.remove(Authenticator.principal(ctx), ctx.pathParam("id"));
                    ctx.status(204);
                });
        Paging.documented(routes.get("/v1/instances/{id}/chatwoot/deliveries")).access(Access.ACCOUNT_OR_INSTANCE)
                .tag("Chatwoot")
                .summary("List an instance's Chatwoot deliveries")
                .description("Newest first: each message event mirrored (or waiting to be mirrored) into Chatwoot, "
                        + "with its attempts and last error. Finished deliveries go with the event retention.")
                .query("status", "pending, succeeded or failed", String.class)
                .returns(200, IntegrationDtos.ChatwootDeliveryListing.class).errors(400, 404)
                .handle(ctx -> {
                    var page = chatwoot.deliveries(Authenticator.principal(ctx), ctx.pathParam("id"),
                            EventRoutes.status(ctx.queryParam("status")), Paging.of(ctx));
                    ctx.json(new IntegrationDtos.ChatwootDeliveryListing(true, page.items().stream()
                            .map(IntegrationDtos.ChatwootDeliveryView::of).toList(), page.nextCursor()));
                });

        var s3 = useCases.s3Config();
        routes.get("/v1/instances/{id}/s3").access(Access.ACCOUNT_OR_INSTANCE).tag("S3")
                .summary("Get an instance's S3 media store")
                .description("The secret_access_key is never returned. 404 when the instance has none.")
                .returns(200, IntegrationDtos.S3Response.class).errors(404)
                .handle(ctx -> {
                    var id = ctx.pathParam("id");
                    var state = s3.find(Authenticator.principal(ctx), id)
                            .orElseThrow(() -> new NotFoundException("instance '" + id + "' has no S3 configuration"));
                    ctx.json(new IntegrationDtos.S3Response(true, IntegrationDtos.S3View.of(state)));
                });
        routes.put("/v1/instances/{id}/s3").access(Access.ACCOUNT_OR_INSTANCE).tag("S3")
                .summary("Configure and check an instance's S3 media store")
                .description("Checks the bucket with a real, signed S3 request (HeadBucket). A failed check is "
                        + "stored and answered with `status: error` and a `status_reason` saying what to fix. A "
                        + "partial update: absent fields keep their stored value; `\"\"` clears `endpoint` or "
                        + "`prefix`.")
                .body(IntegrationDtos.S3Body.class).returns(200, IntegrationDtos.S3Response.class).errors(404)
                .handle(ctx -> ctx.json(new IntegrationDtos.S3Response(true, configureS3(useCases,
                        Authenticator.principal(ctx), ctx.pathParam("id"),
                        bodies.read(ctx, IntegrationDtos.S3Body.class)))));
        routes.delete("/v1/instances/{id}/s3").access(Access.ACCOUNT_OR_INSTANCE).tag("S3")
                .summary("Remove an instance's S3 media store")
                .description("New media is kept on the gateway's own media store again; objects already in the "
                        + "bucket stay.")
                .returns(204, null).errors(404)
                .handle(ctx -> {
                    s3.remove(Authenticator.principal(ctx), ctx.pathParam("id"));
                    ctx.status(204);
                });
    }

    /**
     * The {@code chatwoot} block of {@code POST /v1/instances}. A failed activation keeps the stored configuration
     * (its GET shows it) but the block answers like any failed block, with the reason as its error.
     */
    public static InlineBlock chatwootBlock(UseCases useCases, Bodies bodies) {
        return InlineBlock.of("chatwoot", IntegrationDtos.ChatwootBody.class, (caller, created, node) -> {
            var view = configureChatwoot(useCases, caller, created.id().toString(),
                    bodies.fields(node, IntegrationDtos.ChatwootBody.class));
            return "error".equals(view.status()) ? new InstanceDtos.BlockError("error", view.statusReason()) : view;
        });
    }

    /** The {@code s3} block of {@code POST /v1/instances}. */
    public static InlineBlock s3Block(UseCases useCases, Bodies bodies) {
        return InlineBlock.of("s3", IntegrationDtos.S3Body.class, (caller, created, node) -> {
            var view = configureS3(useCases, caller, created.id().toString(),
                    bodies.fields(node, IntegrationDtos.S3Body.class));
            return "error".equals(view.status()) ? new InstanceDtos.BlockError("error", view.statusReason()) : view;
        });
    }

    private static IntegrationDtos.ChatwootView configureChatwoot(UseCases useCases, Principal caller, String id,
                                                                  IntegrationDtos.ChatwootBody body) {
        return IntegrationDtos.ChatwootView.of(useCases.chatwootConfig().configure(caller, id,
                new ConfigureChatwoot(body.config(), body.apiToken())));
    }

    private static IntegrationDtos.S3View configureS3(UseCases useCases, Principal caller, String id,
                                                      IntegrationDtos.S3Body body) {
        return IntegrationDtos.S3View.of(useCases.s3Config().configure(caller, id,
                new ConfigureS3(body.config(), body.secretAccessKey())));
    }
}
