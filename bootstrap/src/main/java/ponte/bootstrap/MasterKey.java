package ponte.bootstrap;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Base64;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The key that seals secrets at rest: {@code PONTE_MASTER_KEY} (32 bytes, base64) when set. On the embedded default
 * it is generated once into the data folder, readable by its owner only. An external database is shared by nodes
 * that must all open the same secrets, so there the key must be configured.
 */
final class MasterKey {
    private static final Logger LOG = LoggerFactory.getLogger(MasterKey.class);
    private static final String FILE = "master.key";

    private MasterKey() {}

    static byte[] resolve(Config config, SecureRandom random) throws IOException {
        if (config.masterKey().isPresent()) {
            return decode(config.masterKey().get());
        }
        if (!config.embeddedDatabase()) {
            throw new IllegalArgumentException("PONTE_MASTER_KEY is required with PONTE_DATABASE_URL: every node must "
                    + "seal and open secrets with the same key (generate one with: openssl rand -base64 32)");
        }
        var file = config.dataDir().resolve(FILE);
        if (Files.exists(file)) {
            return decode(Files.readString(file));
        }
        var key = new byte[32];
        random.nextBytes(key);
        Files.createDirectories(config.dataDir());
        Files.writeString(file, Base64.getEncoder().encodeToString(key) + "\n", StandardOpenOption.CREATE_NEW,
                StandardOpenOption.WRITE);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        LOG.warn("generated a master key in {}; in production set PONTE_MASTER_KEY and keep it out of the data folder",
                file);
        return key;
    }

    private static byte[] decode(String encoded) {
        byte[] key;
        try {
            key = Base64.getDecoder().decode(encoded.strip());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("PONTE_MASTER_KEY must be base64 (openssl rand -base64 32)", e);
        }
        if (key.length != 32) {
            throw new IllegalArgumentException("PONTE_MASTER_KEY must decode to 32 bytes, not " + key.length);
        }
        return key;
    }
}
