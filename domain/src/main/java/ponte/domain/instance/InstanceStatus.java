package ponte.domain.instance;

import java.util.EnumSet;
import java.util.Set;

/** Where an instance's WhatsApp session stands. The allowed moves between them are the status machine. */
public enum InstanceStatus {
    PENDING, QR, CONNECTING, CONNECTED, DISCONNECTED, FAILED;

    public Set<InstanceStatus> next() {
        return switch (this) {
            case PENDING -> EnumSet.of(QR, CONNECTING, DISCONNECTED, FAILED);
            case QR -> EnumSet.of(PENDING, CONNECTING, DISCONNECTED, FAILED);
            case CONNECTING -> EnumSet.of(QR, CONNECTED, DISCONNECTED, FAILED);
            case CONNECTED -> EnumSet.of(CONNECTING, DISCONNECTED, FAILED);
            case DISCONNECTED -> EnumSet.of(PENDING, QR, CONNECTING, FAILED);
            case FAILED -> EnumSet.of(PENDING, QR, CONNECTING, DISCONNECTED);
        };
    }

    public boolean canMoveTo(InstanceStatus target) {
        return next().contains(target);
    }

    public String wireName() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
