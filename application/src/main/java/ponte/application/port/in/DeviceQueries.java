package ponte.application.port.in;

import java.util.List;
import ponte.domain.auth.Principal;
import ponte.domain.instance.Instance;

public interface DeviceQueries {
    /** The tenant's instances that are linked to a WhatsApp account, newest first. */
    List<Instance> linkedDevices(Principal caller);
}
