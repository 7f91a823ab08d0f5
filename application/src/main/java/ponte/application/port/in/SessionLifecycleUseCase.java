package ponte.application.port.in;

import java.util.Optional;
import java.util.regex.Pattern;
import ponte.application.port.out.PairingQrStore.CurrentQr;
import ponte.application.port.out.SessionControlPort.PairingCode;
import ponte.domain.auth.Principal;
import ponte.domain.instance.Instance;
import ponte.domain.validation.ValidationException;

/** What a user does to an instance's WhatsApp session: link it, unlink it, bounce it. */
public interface SessionLifecycleUseCase {
    /** Starts the session; when the instance must be paired, waits for its first QR code (at most 10 s). */
    Connection connect(Principal caller, String idOrName);

    /** Where the session stands now and the QR code it shows, if any; changes nothing. */
    Connection current(Principal caller, String idOrName);

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

    record Connection(Instance instance, Optional<CurrentQr> qr) {}

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
