package ponte.adapters.http.dto;

import java.util.List;
import java.util.UUID;
import ponte.adapters.http.openapi.Doc;
import ponte.adapters.http.openapi.Example;
import ponte.adapters.http.openapi.Nullable;
import ponte.application.port.in.InstanceProxyUseCase.InstanceProxy;
import ponte.domain.proxy.Proxy;
import ponte.domain.proxy.ProxyInput;

/** Request and response bodies of the proxy routes. */
public final class ProxyDtos {
    private ProxyDtos() {}

    @Doc("Either proxy_url, or protocol, host and port (with username and password when the proxy needs them)")
    @Example("{\"proxy_url\": \"socks5://user:pass@proxy.example.com:1080\"}")
    public record ProxyBody(
            @Doc("socks5://user:pass@host:1080; scheme http, https or socks5; percent-encode special characters")
            String proxyUrl,
            @Doc("http, https or socks5") String protocol,
            @Doc("Hostname or IP address") String host,
            @Doc("1-65535, a JSON number") Integer port,
            String username,
            @Doc("Write-only: encrypted at rest, always shown as ***") String password) {
        public ProxyInput input() {
            return new ProxyInput(proxyUrl, protocol, host, port, username, password);
        }
    }

    public record TenantProxy(@Doc("The tenant proxy, password masked") String proxyUrl) {}

    public record InstanceOverride(UUID instanceId, String name, @Doc("Password masked") String proxyUrl) {}

    public record TenantProxies(boolean success, @Doc("Null when the tenant has no proxy") @Nullable TenantProxy tenant,
                                @Doc("Instances with a proxy of their own, which wins over the tenant's")
                                List<InstanceOverride> overrides) {}

    public record Scheduled(@Doc("Online instances without an override, reconnecting in the background; offline "
            + "ones pick the proxy up when they next connect") int scheduled) {}

    public record TenantChange(boolean success, @Doc("Always 'tenant'") String scope,
                               @Doc("Password masked; null after DELETE") @Nullable String proxyUrl,
                               Scheduled reconnect) {}

    public record Effective(@Doc("instance, tenant or none") String source,
                            @Doc("What the instance dials through, password masked; null for none") @Nullable String proxyUrl) {}

    public record InstanceProxyView(@Doc("Always 'instance'") String scope, UUID instanceId,
                                    @Doc("The instance's override, password masked; null when it has none")
                                    @Nullable String proxyUrl, Effective effective,
                                    @Doc("connected (this node runs the session and is dialling again now through "
                                            + "the new proxy; a failure shows as status_reason proxy_error), "
                                            + "scheduled (the node running the instance reconnects it) or offline "
                                            + "(it uses the proxy when it next connects)") String reconnect) {
        public static InstanceProxyView of(InstanceProxy state) {
            return new InstanceProxyView("instance", state.instanceId(),
                    state.override().map(Proxy::maskedUrl).orElse(null),
                    new Effective(state.effective().source().wireName(),
                            state.effective().proxy().map(Proxy::maskedUrl).orElse(null)),
                    state.reconnect().wireName());
        }
    }

    public record InstanceProxyResponse(boolean success, String scope, UUID instanceId,
                                        @Doc("The instance's override, password masked; null when it has none")
                                        @Nullable String proxyUrl,
                                        Effective effective, String reconnect) {
        public static InstanceProxyResponse of(InstanceProxy state) {
            var view = InstanceProxyView.of(state);
            return new InstanceProxyResponse(true, view.scope(), view.instanceId(), view.proxyUrl(), view.effective(),
                    view.reconnect());
        }
    }
}
