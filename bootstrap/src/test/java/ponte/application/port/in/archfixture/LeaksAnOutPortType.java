package ponte.application.port.in.archfixture;

import java.util.UUID;
import ponte.application.port.out.SessionControlPort;

/** Breaks the in-port rule on purpose: an in-port handing its caller an out-port's type. */
public interface LeaksAnOutPortType {
    SessionControlPort.PairingCode pairingCode(UUID instanceId);
}
