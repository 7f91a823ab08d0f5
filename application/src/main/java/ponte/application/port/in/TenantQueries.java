package ponte.application.port.in;

import java.util.UUID;
import ponte.application.port.out.Page;
import ponte.application.port.out.PageRequest;
import ponte.domain.tenant.Tenant;

/** What the server operator reads about tenants. */
public interface TenantQueries {
    Page<Tenant> list(PageRequest page);

    Tenant get(UUID id);
}
