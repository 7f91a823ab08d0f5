package ponte.domain.event;

import java.util.HashMap;
import java.util.Map;
import ponte.domain.instance.InstanceEvent;
import ponte.domain.instance.InstanceStatus;

/** The {@code data} of an {@code instance.state} event, for each thing that can happen to an instance. */
public final class InstanceStateData {
    private InstanceStateData() {}

    public static Map<String, Object> of(InstanceEvent event) {
        var data = new HashMap<String, Object>();
        switch (event) {
            case InstanceEvent.Created created -> {
                data.put("type", "created");
                data.put("status", created.status().wireName());
            }
            case InstanceEvent.StatusChanged changed -> {
                data.put("type", "status_changed");
                data.put("status", changed.to().wireName());
                data.put("previous_status", changed.from().wireName());
                data.put("status_reason", changed.reason() == null ? null : changed.reason().wireName());
            }
            case InstanceEvent.QrRotated qr -> {
                data.put("type", "qr_rotated");
                data.put("status", InstanceStatus.QR.wireName());
                data.put("qr", qr.qr());
                data.put("expires_at", qr.expiresAt().toString());
            }
            case InstanceEvent.Deleted ignored -> data.put("type", "deleted");
        }
        return data;
    }
}
