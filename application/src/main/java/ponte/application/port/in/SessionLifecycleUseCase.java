package ponte.application.port.in;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;
import ponte.application.model.CurrentQr;
import ponte.application.model.PairingCode;
import ponte.domain.auth.Principal;
import ponte.domain.instance.Instance;
import ponte.domain.validation.ValidationException;

/** What a user does to an instance's WhatsApp session: link it, watch it, unlink it, bounce it. */
public interface SessionLifecycleUseCase {
    /**
     * Starts the session (a disconnected one starts a fresh attempt at once); when the instance must be paired,
     * waits for its first QR code (at most 10 s).
     */
    Connection connect(Principal caller, String idOrName);

    /** Where the session stands now and the QR code it shows, if any; changes nothing. */
    Connection current(Principal caller, String idOrName);

    /**
     * Waits until the session stands anywhere else than {@code seen} (another status or reason, another QR code),
     * at most {@code wait}, and returns where it stands then. Woken by the instance's committed events, from
     * whichever node runs the session; never polls.
     */
    Connection next(Principal caller, String idOrName, Connection seen, Duration wait) throws InterruptedException;

    /** The QR code being shown; a conflict when the instance is connected or no pairing is under way. */
    CurrentQr currentQr(Principal caller, String idOrName);

    /** A code to type on the phone (Linked devices → Link with phone number) instead of scanning. */
    PairingCode pairingCode(Principal caller, String idOrName, PairingCodeCommand command);

    /** Closes the socket and keeps the credentials. */
    Instance disconnect(Principal caller, String idOrName);

    /** Unlinks the device from the phone and wipes its credentials; the instance stays. */
    Instance logout(Principal caller, String idOrName);

    /** Reconnects with the stored credentials. */
    Instance restart(Principal caller, String idOrName);

    /** The tenant's instances that are linked to a WhatsApp account, newest first; account tokens only. */
    List<Instance> linkedDevices(Principal caller);

    record Connection(Instance instance, Optional<CurrentQr> qr) {
        /** The same status, reason and QR code: nothing a watcher would be told about changed. */
        public boolean sameAs(Connection other) {
            return instance.status() == other.instance.status()
                    && instance.statusReason() == other.instance.statusReason() && qr.equals(other.qr);
        }
    }

    /** The phone number to link, in international form: digits only, or with a leading '+'. */
    record PairingCodeCommand(String phoneNumber) {
        private static final Pattern E164 = Pattern.compile("\\+?[1-9][0-9]{7,14}");

        public PairingCodeCommand {
            if (phoneNumber == null || !E164.matcher(phoneNumber.strip()).matches()) {
                throw ValidationException.of("phone_number",
                        "must be the international number, e.g. 5511999999999 or +5511999999999");
            }
            phoneNumber = phoneNumber.strip().replace("+", "");
        }
    }
}
