package ponte.adapters.whatsapp.fuzz;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * Writes real protocol messages as seeds of a fuzz target's corpus (Jazzer reads
 * {@code src/test/resources/<package>/<Class>Inputs/<method>/}), when the run sets {@code -Dponte.fuzz.seeds=<dir of
 * src/test/resources>}; otherwise does nothing. The seeds in the repository were written this way.
 */
public final class Seeds {

    private Seeds() {
    }

    public static void write(Class<?> fuzzTest, String method, byte[] seed) {
        String root = System.getProperty("ponte.fuzz.seeds");
        if (root == null) {
            return;
        }
        Path dir = Path.of(root, fuzzTest.getPackageName().replace('.', '/'), fuzzTest.getSimpleName() + "Inputs",
                method);
        try {
            Files.createDirectories(dir);
            Files.write(dir.resolve("seed-" + HexFormat.of().formatHex(sha256(seed), 0, 8)), seed);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static byte[] sha256(byte[] bytes) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(bytes);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
