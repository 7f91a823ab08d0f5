package ponte.adapters.http.dto;

import java.time.Instant;
import java.util.List;
import java.util.UUID;
import ponte.adapters.http.openapi.Doc;
import ponte.adapters.http.openapi.Nullable;
import ponte.application.model.GatewayNode;

/** Bodies of {@code GET /v1/nodes}: the gateway nodes sharing the database. */
public final class NodeDtos {
    private NodeDtos() {}

    public record NodeView(UUID id,
                           @Doc("How the node is reached: PONTE_NODE_ADDRESS, by default its public URL") String address,
                           @Doc("The node's Ponte version") String version,
                           @Doc("When the node last renewed its leases (the database's clock); a node silent for a "
                                   + "lease time (20 s by default) is dead and its instances move") Instant heartbeatAt,
                           @Doc("When the node joined") Instant startedAt,
                           @Doc("Sessions it runs: the instance leases it holds") int sessions,
                           @Doc("PONTE_MAX_SESSIONS_PER_NODE; null when unlimited") @Nullable Integer limit,
                           @Doc("Whether this is the node that answered") boolean self) {
        public static NodeView of(GatewayNode node, UUID self) {
            return new NodeView(node.id(), node.address(), node.version(), node.heartbeatAt(), node.startedAt(),
                    node.sessions(), node.maxSessions().orElse(null), node.id().equals(self));
        }
    }

    public record Listing(boolean success, List<NodeView> data) {}
}
