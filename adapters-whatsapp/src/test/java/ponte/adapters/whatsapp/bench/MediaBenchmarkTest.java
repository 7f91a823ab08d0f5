package ponte.adapters.whatsapp.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.io.TempDir;

/**
 * The media benchmark at small sizes, on every build: it checks what the figures rest on, never a speed. Ponte's
 * files and Baileys' come back byte-identical through the sandbox's HTTPS media host (Baileys trusting it through
 * the sandbox root's certificate), and Ponte's live heap during a transfer does not grow with the file: a file four
 * times as large keeps well under one file's size in memory.
 */
class MediaBenchmarkTest {

    @TempDir
    Path dir;

    @Test
    void filesComeBackByteIdenticalAndTheLiveHeapDoesNotGrowWithTheFile() throws Exception {
        try (var bench = new MediaBenchmark(dir)) {
            var small = bench.ponte(6_000_000);
            var large = bench.ponte(24_000_000);
            assertThat(small.uploadMBps()).isPositive();
            assertThat(large.peakHeapBytes()).as(large + " against " + small).isLessThan(6_000_000L);
            var baileys = bench.baileys(3_000_000);
            baileys.ifPresent(run -> assertThat(run.downloadMBps()).isPositive());
            System.out.println(small + "\n" + large + "\n" + baileys.map(Object::toString).orElse("no Baileys"));
        }
    }

    /** The figures of docs/benchmarks.md: {@code -Dponte.bench.media=true -Dtest=MediaBenchmarkTest}. */
    @Test
    @EnabledIfSystemProperty(named = "ponte.bench.media", matches = "true")
    void figures() throws Exception {
        MediaBenchmark.main(new String[0]);
    }
}
