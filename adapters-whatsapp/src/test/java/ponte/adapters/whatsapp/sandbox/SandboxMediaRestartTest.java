package ponte.adapters.whatsapp.sandbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import ponte.adapters.whatsapp.media.MediaClient;
import ponte.adapters.whatsapp.media.MediaTls;
import ponte.adapters.whatsapp.media.MediaTransferException;
import ponte.adapters.whatsapp.media.MediaType;
import ponte.adapters.whatsapp.sandbox.store.sql.SqlSandboxStore;

/**
 * A sandbox whose media host keeps its files in a folder of its own (the data folder's, in the gateway) serves what
 * was uploaded before a restart, byte-identical at the same direct path, and what was expired before it stays gone
 * (410); expiry on demand still works on files uploaded before the restart.
 */
class SandboxMediaRestartTest {
    private static final MediaClient.Retry FAST = new MediaClient.Retry(2, Duration.ofMillis(20),
            Duration.ofSeconds(30));
    private static final String UPLOADER = "5511955550777@s.whatsapp.net";

    private final SecureRandom random = new SecureRandom();

    @TempDir
    Path dir;

    @Test
    void uploadedFilesOutliveARestartOverTheSameDataFolderAndExpiryStillWorks() throws Exception {
        var database = SandboxFixture.database();
        Path folder = dir.resolve("sandbox-media");
        var options = SandboxFixture.fastOptions().withMediaFolder(folder);
        byte[] kept = bytes(1_234_567);
        byte[] expiredBefore = bytes(54_321);
        byte[] expiredAfter = bytes(65_432);

        MediaClient.Uploaded keptUpload;
        MediaClient.Uploaded expiredBeforeUpload;
        MediaClient.Uploaded expiredAfterUpload;
        String hostBefore;
        try (SandboxServer sandbox = SandboxFixture.start(SqlSandboxStore.migrateAndOpen(database), options)) {
            MediaClient client = client(sandbox);
            keptUpload = client.upload(MediaType.VIDEO, new ByteArrayInputStream(kept));
            expiredBeforeUpload = client.upload(MediaType.IMAGE, new ByteArrayInputStream(expiredBefore));
            expiredAfterUpload = client.upload(MediaType.DOCUMENT, new ByteArrayInputStream(expiredAfter));
            assertThat(sandbox.media().expire(expiredBeforeUpload.directPath())).isTrue();
            hostBefore = sandbox.media().hostname();
            assertThat(hostBefore).isNotEmpty();
        }
        // stopped: the kept files are still in the folder, the expired one's bytes are not
        assertThat(files(folder)).hasSize(2);

        try (SandboxServer sandbox = SandboxFixture.start(SqlSandboxStore.migrateAndOpen(database), options)) {
            MediaClient client = client(sandbox);
            // a new host (its port may differ from hostBefore); the same direct paths
            assertThat(download(client, MediaType.VIDEO, keptUpload)).isEqualTo(kept);
            assertThat(download(client, MediaType.DOCUMENT, expiredAfterUpload)).isEqualTo(expiredAfter);
            assertThat(sandbox.media().stored(MediaType.VIDEO)).isEqualTo(1);
            assertGone(client, MediaType.IMAGE, expiredBeforeUpload);

            // on-demand expiry of what an earlier run stored: by path, and by uploader
            assertThat(sandbox.media().expire(expiredAfterUpload.directPath())).isTrue();
            assertGone(client, MediaType.DOCUMENT, expiredAfterUpload);
            assertThat(sandbox.media().expireUploadsOf(UPLOADER)).isEqualTo(1);
            assertGone(client, MediaType.VIDEO, keptUpload);
            assertThat(files(folder)).isEmpty();
        }
    }

    @Test
    void withoutAMediaFolderTheFilesAreGoneWithTheSandbox() throws Exception {
        var database = SandboxFixture.database();
        var options = SandboxFixture.fastOptions();
        MediaClient.Uploaded upload;
        try (SandboxServer sandbox = SandboxFixture.start(SqlSandboxStore.migrateAndOpen(database), options)) {
            upload = client(sandbox).upload(MediaType.IMAGE, new ByteArrayInputStream(bytes(10_000)));
        }
        try (SandboxServer sandbox = SandboxFixture.start(SqlSandboxStore.migrateAndOpen(database), options)) {
            assertGone(client(sandbox), MediaType.IMAGE, upload);
        }
    }

    private MediaClient client(SandboxServer sandbox) {
        return new MediaClient(() -> CompletableFuture.completedFuture(sandbox.media().mediaConn("1", UPLOADER)),
                ponte.adapters.whatsapp.media.MediaHttp.direct(MediaTls.context(sandbox.trustRoot())), Clock.systemUTC(), random, FAST,
                Duration.ofSeconds(5));
    }

    private static byte[] download(MediaClient client, MediaType type, MediaClient.Uploaded upload)
            throws Exception {
        var out = new ByteArrayOutputStream();
        client.download(type, upload.directPath(), upload.mediaKey(), upload.sealed().fileEncSha256(),
                upload.sealed().fileSha256(), out);
        return out.toByteArray();
    }

    private static void assertGone(MediaClient client, MediaType type, MediaClient.Uploaded upload) {
        assertThatThrownBy(() -> client.download(type, upload.directPath(), upload.mediaKey(),
                upload.sealed().fileEncSha256(), upload.sealed().fileSha256(), OutputStream.nullOutputStream()))
                .isInstanceOfSatisfying(MediaTransferException.class,
                        e -> assertThat(e.reason()).isEqualTo(MediaTransferException.Reason.GONE));
    }

    private static java.util.List<Path> files(Path folder) throws java.io.IOException {
        try (Stream<Path> files = Files.list(folder)) {
            return files.filter(Files::isRegularFile).toList();
        }
    }

    private byte[] bytes(int size) {
        byte[] bytes = new byte[size];
        random.nextBytes(bytes);
        return bytes;
    }
}
