package ponte.adapters.http.routes;

import ponte.adapters.http.core.Access;
import ponte.adapters.http.core.Authenticator;
import ponte.adapters.http.core.Routes;
import ponte.adapters.http.dto.NodeDtos;
import ponte.application.port.in.UseCases;

/** The operator's view of the gateway nodes sharing the database (docs/scale-out.md). */
public final class NodeRoutes {
    private NodeRoutes() {}

    public static void register(Routes routes, UseCases useCases) {
        routes.get("/v1/nodes").access(Access.ADMIN).tag("Operations").summary("List the gateway nodes")
                .description("Every node registered in the shared database, newest heartbeat first, with the "
                        + "sessions it runs (instance leases it holds) and its limit.")
                .returns(200, NodeDtos.Listing.class)
                .handle(ctx -> {
                    var nodes = useCases.nodeSessions();
                    ctx.json(new NodeDtos.Listing(true, nodes.nodes(Authenticator.principal(ctx)).stream()
                            .map(node -> NodeDtos.NodeView.of(node, nodes.node())).toList()));
                });
    }
}
