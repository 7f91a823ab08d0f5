package ponte.adapters.delivery.media;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Optional;
import ponte.application.port.out.MediaStore;

/**
 * The gateway's own media store: files under one root directory ({@code PONTE_DATA_DIR/media}), a key being the
 * relative path. A file is written beside its final name and moved into place, so a reader never sees half of it.
 */
public final class LocalMediaStore implements MediaStore {
    private final Path root;

    public LocalMediaStore(Path root) {
        this.root = root.toAbsolutePath().normalize();
    }

    @Override
    public Kind kind() {
        return Kind.LOCAL;
    }

    @Override
    public Optional<String> bucket() {
        return Optional.empty();
    }

    @Override
    public void put(String key, Path file, String mimeType) {
        var target = resolve(key);
        try {
            Files.createDirectories(target.getParent());
            var partial = Files.createTempFile(target.getParent(), ".part-", ".tmp");
            try {
                Files.copy(file, partial, StandardCopyOption.REPLACE_EXISTING);
                try {
                    Files.move(partial, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
                } catch (AtomicMoveNotSupportedException e) {
                    Files.move(partial, target, StandardCopyOption.REPLACE_EXISTING);
                }
            } finally {
                Files.deleteIfExists(partial);
            }
        } catch (IOException e) {
            throw new MediaStoreException("could not write the media file under " + root, false, e);
        }
    }

    @Override
    public InputStream open(String key, long offset, long length) {
        try {
            var channel = FileChannel.open(resolve(key), StandardOpenOption.READ);
            channel.position(offset);
            return new BoundedInputStream(Channels.newInputStream(channel), length);
        } catch (NoSuchFileException e) {
            throw new MediaStoreException("the media file is missing from the local store", true, e);
        } catch (IOException e) {
            throw new MediaStoreException("could not read the media file", false, e);
        }
    }

    @Override
    public boolean delete(String key) {
        try {
            return Files.deleteIfExists(resolve(key));
        } catch (IOException e) {
            throw new UncheckedIOException("could not delete a media file", e);
        }
    }

    @Override
    public Optional<URI> url(String key) {
        return Optional.empty();
    }

    /** The file of a key; a key that would leave the root ({@code ..}, an absolute path) is refused. */
    Path resolve(String key) {
        var path = root.resolve(key).normalize();
        if (key.isEmpty() || key.startsWith("/") || !path.startsWith(root) || path.equals(root)) {
            throw new IllegalArgumentException("not a media key: " + key);
        }
        return path;
    }

    /** Yields at most {@code remaining} bytes of the stream it wraps. */
    static final class BoundedInputStream extends InputStream {
        private final InputStream in;
        private long remaining;

        BoundedInputStream(InputStream in, long remaining) {
            this.in = in;
            this.remaining = remaining;
        }

        @Override
        public int read() throws IOException {
            if (remaining <= 0) {
                return -1;
            }
            int b = in.read();
            if (b >= 0) {
                remaining--;
            }
            return b;
        }

        @Override
        public int read(byte[] buffer, int offset, int length) throws IOException {
            if (remaining <= 0) {
                return -1;
            }
            int n = in.read(buffer, offset, (int) Math.min(length, remaining));
            if (n > 0) {
                remaining -= n;
            }
            return n;
        }

        @Override
        public void close() throws IOException {
            in.close();
        }
    }
}
