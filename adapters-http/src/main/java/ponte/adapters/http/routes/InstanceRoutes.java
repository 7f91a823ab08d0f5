package ponte.adapters.http.routes;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import ponte.adapters.http.core.Access;
import ponte.adapters.http.core.AuditTrail;
import ponte.adapters.http.core.Authenticator;
import ponte.adapters.http.core.Bodies;
import ponte.adapters.http.core.ErrorResponses;
import ponte.adapters.http.core.InlineBlock;
import ponte.adapters.http.core.RateLimits;
import ponte.adapters.http.core.Routes;
import ponte.adapters.http.dto.InstanceDtos;
import ponte.adapters.http.dto.IntegrationDtos;
import ponte.adapters.http.dto.WebhookDtos;
import ponte.application.error.NotFoundException;
import ponte.application.port.in.InstancesUseCase.CreateInstanceCommand;
import ponte.application.port.in.UseCases;
import ponte.domain.auth.Principal;
import ponte.domain.instance.Instance;
import ponte.domain.instance.InstanceName;
import ponte.domain.validation.ValidationException;
import ponte.domain.validation.Violation;

/** Creating, reading and deleting instances. */
public final class InstanceRoutes {
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(InstanceRoutes.class);

    private InstanceRoutes() {}

    public static void register(Routes routes, UseCases useCases, Bodies bodies, int createsPerMinute,
                                List<InlineBlock> blocks) {
        var creations = new RateLimits.Limit("instance creations", createsPerMinute);
        var supported = blocks.stream().collect(Collectors.toMap(InlineBlock::name, block -> block));
        routes.post("/v1/instances").access(Access.ACCOUNT).tag("Instances").summary("Create an instance")
                .description("The instance starts `pending`; its token is shown only in this response.")
                .body(InstanceDtos.CreateInstance.class).returns(201, InstanceDtos.Created.class)
                .errors(403, 409).rateLimit(creations)
                .handle(ctx -> {
                    var body = bodies.read(ctx, InstanceDtos.CreateInstance.class);
                    var present = presentBlocks(body, supported);
                    var command = new CreateInstanceCommand(new InstanceName(body.name()), body.token(),
                            body.metadata());
                    var caller = Authenticator.principal(ctx);
                    var applied = new LinkedHashMap<String, Object>();
                    // the blocks are in place before the instance's created event goes out, so they receive it
                    var created = useCases.instances().create(caller, command,
                            instance -> applied.putAll(applyBlocks(caller, instance, present, supported)));
                    var instance = created.instance();
                    AuditTrail.resource(ctx, instance.id());
                    var view = new InstanceDtos.CreatedInstanceView(instance.id(), instance.name().value(),
                            created.token(), instance.status().wireName(), instance.account().phoneNumber(),
                            instance.metadata(), instance.createdAt(), instance.updatedAt());
                    ctx.status(201).json(new InstanceDtos.Created(true, view, applied.get("proxy"),
                            applied.get("settings"), applied.get("webhook"), applied.get("websocket"),
                            applied.get("chatwoot"), applied.get("s3")));
                });
        Paging.documented(routes.get("/v1/instances")).access(Access.ACCOUNT).tag("Instances")
                .summary("List instances").query("name", "Only the instance of this name", String.class)
                .returns(200, InstanceDtos.Listing.class)
                .handle(ctx -> {
                    var page = useCases.instances().list(Authenticator.principal(ctx), ctx.queryParam("name"),
                            Paging.of(ctx));
                    ctx.json(new InstanceDtos.Listing(true, page.items().stream().map(InstanceDtos.InstanceView::of)
                            .toList(), page.nextCursor()));
                });
        routes.get("/v1/instances/{id}").access(Access.ACCOUNT_OR_INSTANCE).tag("Instances")
                .summary("Get an instance by id or name").returns(200, InstanceDtos.One.class).errors(404)
                .handle(ctx -> {
                    var caller = Authenticator.principal(ctx);
                    var instance = useCases.instances().get(caller, ctx.pathParam("id"));
                    ctx.json(new InstanceDtos.One(true, InstanceDtos.InstanceDetail.of(
                            InstanceDtos.InstanceView.of(instance), integrations(useCases, caller, instance),
                            useCases.nodeSessions().owner(instance.id()).orElse(null))));
                });
        routes.delete("/v1/instances/{id}").access(Access.ACCOUNT).tag("Instances").summary("Delete an instance")
                .description("Soft delete: frees the name and revokes the instance token; the delivery log stays.")
                .returns(204, null).errors(404)
                .handle(ctx -> {
                    useCases.instances().delete(Authenticator.principal(ctx), ctx.pathParam("id"));
                    ctx.status(204);
                });
    }

    private static InstanceDtos.Integrations integrations(UseCases useCases, Principal caller, Instance instance) {
        var id = instance.id().toString();
        var webhooks = useCases.webhooks().list(caller, id).stream()
                .map(w -> WebhookDtos.WebhookView.of(w, null)).toList();
        WebhookDtos.WebSocketView websocket;
        try {
            websocket = WebhookDtos.WebSocketView.of(useCases.websocket().get(caller, id));
        } catch (NotFoundException neverConfigured) {
            websocket = null;
        }
        var chatwoot = useCases.chatwootConfig().find(caller, id).map(IntegrationDtos.ChatwootView::of).orElse(null);
        var s3 = useCases.s3Config().find(caller, id).map(IntegrationDtos.S3View::of).orElse(null);
        return new InstanceDtos.Integrations(webhooks, websocket, chatwoot, s3);
    }

    /**
     * Applies each inline block independently after the instance exists; a failing block is reported in its place.
     * A block this version does not support is refused up front: silently dropping configuration would be worse.
     */
    private static Map<String, Object> applyBlocks(Principal caller, Instance instance, Map<String, JsonNode> present,
                                                   Map<String, InlineBlock> supported) {
        var results = new LinkedHashMap<String, Object>();
        present.forEach((name, node) -> {
            try {
                results.put(name, supported.get(name).apply(caller, instance, node));
            } catch (ValidationException e) {
                results.put(name, new InstanceDtos.BlockError("error", e.violations().stream()
                        .map(v -> v.field() + " " + v.problem()).collect(Collectors.joining("; "))));
            } catch (RuntimeException e) {
                results.put(name, new InstanceDtos.BlockError("error", ErrorResponses.userMessage(e).orElseGet(() -> {
                    LOG.error("instance {}: the inline {} block failed", instance.id(), name, e);
                    return "could not be applied because of an internal error; see the gateway's log";
                })));
            }
        });
        return results;
    }

    private static Map<String, JsonNode> presentBlocks(InstanceDtos.CreateInstance body,
                                                       Map<String, InlineBlock> supported) {
        var all = new LinkedHashMap<String, JsonNode>();
        all.put("proxy", body.proxy());
        all.put("settings", body.settings());
        all.put("webhook", body.webhook());
        all.put("websocket", body.websocket());
        all.put("chatwoot", body.chatwoot());
        all.put("s3", body.s3());
        all.values().removeIf(node -> node == null || node.isNull());
        var violations = new ArrayList<Violation>();
        all.keySet().stream().filter(name -> !supported.containsKey(name)).forEach(name ->
                violations.add(new Violation(name, "inline configuration blocks are not supported by this version")));
        if (!violations.isEmpty()) {
            throw new ValidationException(violations);
        }
        return all;
    }
}
