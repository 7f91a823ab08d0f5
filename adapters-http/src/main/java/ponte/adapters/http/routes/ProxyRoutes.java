package ponte.adapters.http.routes;

import ponte.adapters.http.core.Access;
import ponte.adapters.http.core.Authenticator;
import ponte.adapters.http.core.Bodies;
import ponte.adapters.http.core.InlineBlock;
import ponte.adapters.http.core.Routes;
import ponte.adapters.http.dto.ProxyDtos;
import ponte.application.port.in.TenantProxyUseCase.TenantProxyChange;
import ponte.application.port.in.UseCases;
import ponte.domain.proxy.Proxy;

/** The tenant proxy and the per-instance overrides. */
public final class ProxyRoutes {
    private static final String TAG = "Proxy";
    private static final String FORMS = "Body: `{\"proxy_url\": \"socks5://user:pass@host:1080\"}` or the split form "
            + "`{\"protocol\": \"socks5\", \"host\": \"...\", \"port\": 1080, \"username\": \"...\", \"password\": "
            + "\"...\"}`. A partial update: `proxy_url` replaces the proxy whole; split fields change only what "
            + "they carry (`\"\"` clears username or password). Passwords are encrypted at rest and always shown as "
            + "`***`.";

    private ProxyRoutes() {}

    public static void register(Routes routes, UseCases useCases, Bodies bodies) {
        var tenant = useCases.tenantProxy();
        routes.get("/v1/proxy").access(Access.ACCOUNT).tag(TAG).summary("Get the tenant proxy and the overrides")
                .returns(200, ProxyDtos.TenantProxies.class)
                .handle(ctx -> {
                    var proxies = tenant.get(Authenticator.principal(ctx));
                    ctx.json(new ProxyDtos.TenantProxies(true,
                            proxies.tenant().map(p -> new ProxyDtos.TenantProxy(p.maskedUrl())).orElse(null),
                            proxies.overrides().stream().map(o -> new ProxyDtos.InstanceOverride(o.instanceId(),
                                    o.name(), o.proxy().maskedUrl())).toList()));
                });
        routes.put("/v1/proxy").access(Access.ACCOUNT).tag(TAG).summary("Set the tenant proxy")
                .description("Used by every instance without an override. Online instances that follow it "
                        + "reconnect in the background (`reconnect.scheduled`); offline ones pick it up on their next "
                        + "connect. " + FORMS)
                .body(ProxyDtos.ProxyBody.class).returns(200, ProxyDtos.TenantChange.class)
                .handle(ctx -> ctx.json(tenantChange(tenant.set(Authenticator.principal(ctx),
                        bodies.read(ctx, ProxyDtos.ProxyBody.class).input()))));
        routes.delete("/v1/proxy").access(Access.ACCOUNT).tag(TAG).summary("Remove the tenant proxy")
                .description("Instances without an override dial directly again; online ones reconnect in the "
                        + "background.")
                .returns(200, ProxyDtos.TenantChange.class)
                .handle(ctx -> ctx.json(tenantChange(tenant.clear(Authenticator.principal(ctx)))));

        var instance = useCases.instanceProxy();
        routes.get("/v1/instances/{id}/proxy").access(Access.ACCOUNT_OR_INSTANCE).tag(TAG)
                .summary("Get an instance's proxy").description("The override, and the proxy the instance "
                        + "actually uses (`effective`: its override, else the tenant proxy, else none).")
                .returns(200, ProxyDtos.InstanceProxyResponse.class).errors(404)
                .handle(ctx -> ctx.json(ProxyDtos.InstanceProxyResponse.of(
                        instance.get(Authenticator.principal(ctx), ctx.pathParam("id")))));
        routes.put("/v1/instances/{id}/proxy").access(Access.ACCOUNT_OR_INSTANCE).tag(TAG)
                .summary("Set an instance's proxy override")
                .description("The override wins over the tenant proxy; an online instance is reconnected at once "
                        + "so it dials through it. " + FORMS)
                .body(ProxyDtos.ProxyBody.class).returns(200, ProxyDtos.InstanceProxyResponse.class).errors(404)
                .handle(ctx -> ctx.json(ProxyDtos.InstanceProxyResponse.of(instance.set(Authenticator.principal(ctx),
                        ctx.pathParam("id"), bodies.read(ctx, ProxyDtos.ProxyBody.class).input()))));
        routes.delete("/v1/instances/{id}/proxy").access(Access.ACCOUNT_OR_INSTANCE).tag(TAG)
                .summary("Remove an instance's proxy override")
                .description("The instance falls back to the tenant proxy (or none); an online instance is "
                        + "reconnected at once.")
                .returns(200, ProxyDtos.InstanceProxyResponse.class).errors(404)
                .handle(ctx -> ctx.json(ProxyDtos.InstanceProxyResponse.of(
                        instance.clear(Authenticator.principal(ctx), ctx.pathParam("id")))));
    }

    /** The {@code proxy} block of {@code POST /v1/instances}: the instance's override. */
    public static InlineBlock inlineBlock(UseCases useCases, Bodies bodies) {
        return InlineBlock.of("proxy", ProxyDtos.ProxyBody.class, (caller, created, block) ->
                ProxyDtos.InstanceProxyView.of(useCases.instanceProxy().set(caller, created.id().toString(),
                        bodies.fields(block, ProxyDtos.ProxyBody.class).input())));
    }

    private static ProxyDtos.TenantChange tenantChange(TenantProxyChange change) {
        return new ProxyDtos.TenantChange(true, "tenant", change.proxy().map(Proxy::maskedUrl).orElse(null),
                new ProxyDtos.Scheduled(change.scheduled()));
    }
}
