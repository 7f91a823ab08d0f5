package ponte.bootstrap;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.UUID;

/**
 * This process among the gateway nodes sharing a database: tags its NOTIFYs so it can skip its own, and owns its
 * instances' leases. On the embedded database the node is alone by construction (its data folder is locked), so
 * its id is kept in {@code <data dir>/node.id}: after a crash the restarted node is the same node and resumes its
 * own leases at once instead of waiting for them to expire. On an external database every process is a new node,
 * as two processes sharing a data folder there must never pass for one.
 */
record NodeId(UUID value) {
    private static final String FILE = "node.id";

    static NodeId of(Config config) {
        if (!config.embeddedDatabase()) {
            return new NodeId(UUID.randomUUID());
        }
        var file = config.dataDir().resolve(FILE);
        try {
            if (Files.exists(file)) {
                return new NodeId(UUID.fromString(Files.readString(file, StandardCharsets.UTF_8).strip()));
            }
            var id = UUID.randomUUID();
            Files.createDirectories(config.dataDir());
            Files.writeString(file, id + "\n", StandardCharsets.UTF_8);
            return new NodeId(id);
        } catch (IOException e) {
            throw new UncheckedIOException("could not read or write " + file, e);
        } catch (IllegalArgumentException e) {
            throw new StartupFailure(file + " does not hold a node id; delete it and start again");
        }
    }
}
