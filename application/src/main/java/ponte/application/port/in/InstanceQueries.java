package ponte.application.port.in;

import ponte.application.port.out.Page;
import ponte.application.port.out.PageRequest;
import ponte.domain.auth.Principal;
import ponte.domain.instance.Instance;

public interface InstanceQueries {
    /** The caller's live instances, newest first; an instance token sees only its own. */
    Page<Instance> list(Principal caller, String nameFilter, PageRequest page);

    /** By UUID or by name; another tenant's instance is not found, never forbidden. */
    Instance get(Principal caller, String idOrName);
}
