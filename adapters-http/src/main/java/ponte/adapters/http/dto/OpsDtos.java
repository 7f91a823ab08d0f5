package ponte.adapters.http.dto;

import java.util.UUID;
import ponte.adapters.http.openapi.Doc;
import ponte.adapters.http.openapi.Nullable;

/** Bodies of the operational routes and of /v1/me. */
public final class OpsDtos {
    private OpsDtos() {}

    public record Health(boolean success, String status) {}

    public record Me(boolean success,
                     @Doc("admin, account or instance") String kind,
                     @Doc("The tenant the token belongs to; null for the admin token") @Nullable UUID tenantId,
                     @Doc("The instance an instance token is bound to; null otherwise") @Nullable UUID instanceId,
                     @Doc("What the token may reach, in words") String scope) {}
}
