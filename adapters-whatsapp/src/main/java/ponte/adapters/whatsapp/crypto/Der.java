package ponte.adapters.whatsapp.crypto;

import java.io.ByteArrayOutputStream;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;

/**
 * The few DER (X.690) encodings an X.509 certificate needs, so the sandbox can issue its media host's certificate
 * without a certificate library. Each method returns one complete TLV.
 */
public final class Der {

    private static final DateTimeFormatter GENERALIZED = DateTimeFormatter.ofPattern("yyyyMMddHHmmss'Z'");

    private Der() {
    }

    public static byte[] tlv(int tag, byte[]... parts) {
        ByteArrayOutputStream content = new ByteArrayOutputStream();
        for (byte[] part : parts) {
            content.writeBytes(part);
        }
        byte[] body = content.toByteArray();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(tag);
        int length = body.length;
        if (length < 0x80) {
            out.write(length);
        } else {
            byte[] digits = BigInteger.valueOf(length).toByteArray();
            int start = digits[0] == 0 ? 1 : 0;
            out.write(0x80 | (digits.length - start));
            out.write(digits, start, digits.length - start);
        }
        out.writeBytes(body);
        return out.toByteArray();
    }

    public static byte[] sequence(byte[]... parts) {
        return tlv(0x30, parts);
    }

    public static byte[] set(byte[]... parts) {
        return tlv(0x31, parts);
    }

    public static byte[] integer(BigInteger value) {
        return tlv(0x02, value.toByteArray());
    }

    public static byte[] bitString(byte[] bytes) {
        byte[] content = new byte[bytes.length + 1];
        System.arraycopy(bytes, 0, content, 1, bytes.length);
        return tlv(0x03, content);
    }

    public static byte[] octetString(byte[] bytes) {
        return tlv(0x04, bytes);
    }

    public static byte[] bool(boolean value) {
        return tlv(0x01, new byte[] {(byte) (value ? 0xff : 0)});
    }

    public static byte[] utf8(String text) {
        return tlv(0x0c, text.getBytes(StandardCharsets.UTF_8));
    }

    /** GeneralizedTime, valid for every year (UTCTime stops at 2049). */
    public static byte[] time(java.time.Instant instant) {
        return tlv(0x18, GENERALIZED.format(ZonedDateTime.ofInstant(instant, ZoneOffset.UTC))
                .getBytes(StandardCharsets.US_ASCII));
    }

    /** A dotted object identifier, e.g. {@code 1.3.101.112}. */
    public static byte[] oid(String dotted) {
        String[] arcs = dotted.split("\\.");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(Integer.parseInt(arcs[0]) * 40 + Integer.parseInt(arcs[1]));
        for (int i = 2; i < arcs.length; i++) {
            long arc = Long.parseLong(arcs[i]);
            int groups = 1;
            for (long rest = arc >>> 7; rest != 0; rest >>>= 7) {
                groups++;
            }
            for (int g = groups - 1; g >= 0; g--) {
                int septet = (int) ((arc >>> (7 * g)) & 0x7f);
                out.write(g == 0 ? septet : septet | 0x80);
            }
        }
        return tlv(0x06, out.toByteArray());
    }

    /** A context-specific tag: {@code [number]}, constructed (EXPLICIT) or primitive (IMPLICIT of a primitive). */
    public static byte[] context(int number, boolean constructed, byte[]... parts) {
        return tlv((constructed ? 0xa0 : 0x80) | number, parts);
    }

    /** A distinguished name of one common name. */
    public static byte[] commonName(String cn) {
        return sequence(set(sequence(oid("2.5.4.3"), utf8(cn))));
    }
}
