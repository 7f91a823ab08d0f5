package ponte.bootstrap;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A node on the embedded database stays the same node across restarts; on an external one each start is new. */
class NodeIdTest {
    @TempDir
    Path data;

    @Test
    void theEmbeddedNodeKeepsItsIdInItsDataFolder() {
        var embedded = Config.fromEnvironment(Map.of("PONTE_DATA_DIR", data.toString()));
        var first = NodeId.of(embedded);
        assertThat(NodeId.of(embedded)).as("after a crash, the same node: it resumes its own leases at once")
                .isEqualTo(first);
        assertThat(data.resolve("node.id")).content().contains(first.value().toString());

        var external = Config.fromEnvironment(Map.of("PONTE_DATA_DIR", data.toString(),
                "PONTE_DATABASE_URL", "jdbc:postgresql://db/ponte", "PONTE_MASTER_KEY",
                java.util.Base64.getEncoder().encodeToString(new byte[32])));
        assertThat(NodeId.of(external)).isNotEqualTo(first).isNotEqualTo(NodeId.of(external));
    }
}
