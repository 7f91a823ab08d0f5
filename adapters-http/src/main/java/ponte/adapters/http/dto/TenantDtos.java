package ponte.adapters.http.dto;

import java.time.Instant;
import java.util.List;
import java.util.UUID;
import ponte.adapters.http.openapi.Doc;
import ponte.adapters.http.openapi.Example;
import ponte.adapters.http.openapi.Nullable;
import ponte.domain.tenant.Tenant;

/** Request and response bodies of the tenant routes. */
public final class TenantDtos {
    private TenantDtos() {}

    public record CreateTenant(
            @Doc("A name for people; need not be unique") @Example("Acme support") String name,
            @Doc("How many live instances the tenant may have (default 100)") @Example("100") Integer maxInstances) {}

    public record TenantView(UUID id, String name, int maxInstances, Instant createdAt) {
        public static TenantView of(Tenant tenant) {
            return new TenantView(tenant.id(), tenant.name(), tenant.maxInstances(), tenant.createdAt());
        }
    }

    public record Created(boolean success, TenantView tenant,
                          @Doc("The tenant's first account token: shown only in this response") String token) {}

    public record One(boolean success, TenantView tenant) {}

    public record Listing(boolean success, List<TenantView> data,
                          @Doc("Pass as ?cursor= to read the next page; null on the last page") @Nullable String nextCursor) {}
}
