package ponte.domain.message;

import java.util.List;
import java.util.regex.Pattern;
import ponte.domain.validation.ValidationException;

/** Phone numbers as the API takes them: E.164 digits, and the mobile forms WhatsApp may know them by. */
final class PhoneNumbers {
    /** E.164 (ITU-T E.164 §6): at most 15 digits with the country code; 8 is the shortest number in use. */
    static final int MIN_DIGITS = 8;
    static final int MAX_DIGITS = 15;

    private static final Pattern DECORATION = Pattern.compile("[\\s().-]");
    private static final Pattern DIGITS = Pattern.compile("[0-9]+");

    private PhoneNumbers() {}

    static String digits(String field, String text) {
        var bare = DECORATION.matcher(text).replaceAll("");
        var plus = bare.startsWith("+");
        var digits = plus ? bare.substring(1) : bare;
        if (!DIGITS.matcher(digits).matches()) {
            throw ValidationException.of(field, "'" + text + "' is not a phone number: use its digits with the "
                    + "country code, e.g. 5511987654321 or +55 11 98765-4321, or a JID");
        }
        return checkLength(field, digits);
    }

    static String checkLength(String field, String digits) {
        if (digits.startsWith("0")) {
            throw ValidationException.of(field, "a phone number starts with its country code, not 0 or 00 "
                    + "(e.g. 5511987654321)");
        }
        if (digits.length() < MIN_DIGITS || digits.length() > MAX_DIGITS) {
            throw ValidationException.of(field, "a phone number has " + MIN_DIGITS + "-" + MAX_DIGITS
                    + " digits with its country code (E.164); got " + digits.length());
        }
        return digits;
    }

    /**
     * The forms of one number WhatsApp may know it by, the given form first (it is what the caller wrote, so it
     * wins when the server knows both). Accounts keep the JID they were
     * registered with, so a number that later changed shape may be known in its old form only (the reason
     * peers check both; seed-products.md "9th digit"):
     * <ul>
     *   <li>Brazil (55): mobiles gained a leading 9 after the two-digit area code (2012-2016). {@code 55 DD 9
     *       XXXXXXXX} also tries {@code 55 DD XXXXXXXX}, and an 8-digit subscriber number starting with 6-9
     *       (the old mobile range; 2-5 are landlines) also tries it with the 9.</li>
     *   <li>Mexico (52): mobiles were dialled from abroad as {@code 52 1 + 10 digits} until 2019, and many
     *       accounts still carry that 1. {@code 52 1 + 10} also tries {@code 52 + 10}, and the reverse.</li>
     * </ul>
     */
    static List<String> mobileForms(String digits) {
        boolean brazil = digits.startsWith("55") && digits.length() >= 12 && hasBrazilianAreaCode(digits);
        if (brazil && digits.length() == 13 && digits.charAt(4) == '9') {
            return List.of(digits, digits.substring(0, 4) + digits.substring(5));
        }
        if (brazil && digits.length() == 12 && digits.charAt(4) >= '6') {
            return List.of(digits, digits.substring(0, 4) + "9" + digits.substring(4));
        }
        if (digits.startsWith("521") && digits.length() == 13) {
            return List.of(digits, "52" + digits.substring(3));
        }
        if (digits.startsWith("52") && digits.length() == 12) {
            return List.of(digits, "521" + digits.substring(2));
        }
        return List.of(digits);
    }

    /** Brazilian area codes run 11-99 and neither of their digits is 0 (Anatel's national numbering plan). */
    private static boolean hasBrazilianAreaCode(String digits) {
        return digits.charAt(2) != '0' && digits.charAt(3) != '0';
    }
}
