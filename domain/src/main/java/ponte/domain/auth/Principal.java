package ponte.domain.auth;

import java.util.Objects;
import java.util.UUID;

/** Who a request acts as, resolved from its token. */
public record Principal(TokenKind kind, UUID tokenId, UUID tenantId, UUID instanceId) {
    public Principal {
        Objects.requireNonNull(kind, "kind");
        switch (kind) {
            case ADMIN -> require(tenantId == null && instanceId == null, "an admin principal belongs to no tenant");
            case ACCOUNT -> require(tenantId != null && instanceId == null, "an account principal has a tenant only");
            case INSTANCE -> require(tenantId != null && instanceId != null, "an instance principal has both");
        }
    }

    public static Principal admin() {
        return new Principal(TokenKind.ADMIN, null, null, null);
    }

    public boolean isAdmin() {
        return kind == TokenKind.ADMIN;
    }

    public boolean isAccount() {
        return kind == TokenKind.ACCOUNT;
    }

    /** Account tokens reach every instance of their tenant; instance tokens reach their own only. */
    public boolean mayReach(UUID instanceTenantId, UUID candidateInstanceId) {
        return switch (kind) {
            case ADMIN -> false;
            case ACCOUNT -> tenantId.equals(instanceTenantId);
            case INSTANCE -> tenantId.equals(instanceTenantId) && instanceId.equals(candidateInstanceId);
        };
    }

    private static void require(boolean ok, String message) {
        if (!ok) {
            throw new IllegalArgumentException(message);
        }
    }
}
