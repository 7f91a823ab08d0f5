package ponte.application.port.in;

import ponte.domain.auth.Principal;
import ponte.domain.settings.InstanceSettings;

public interface InstanceSettingsUseCase {
    /** The instance's settings; the defaults when it never changed them. */
    InstanceSettings get(Principal caller, String idOrName);

    /** Changes the fields the patch carries and keeps the others. */
    InstanceSettings update(Principal caller, String idOrName, InstanceSettings.Patch patch);
}
