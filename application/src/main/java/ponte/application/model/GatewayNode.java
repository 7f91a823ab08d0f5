package ponte.application.model;

import java.time.Instant;
import java.util.Optional;
import java.util.UUID;

/**
 * A gateway node registered in the shared database, as {@code GET /v1/nodes} shows it.
 *
 * @param address     how it is reached ({@code PONTE_NODE_ADDRESS}, by default its public URL)
 * @param maxSessions its {@code PONTE_MAX_SESSIONS_PER_NODE}; empty when unlimited
 * @param heartbeatAt its last heartbeat (the database's clock); a node silent for a lease time is dead
 * @param sessions    how many valid instance leases it holds
 */
public record GatewayNode(UUID id, String address, String version, Optional<Integer> maxSessions,
                          Instant startedAt, Instant heartbeatAt, int sessions) {}
