package ponte.adapters.whatsapp.sandbox.store;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The index of the sandbox media host's files: which direct path names which file in the host's folder, who
 * uploaded it, its kind, and whether it was expired (its bytes deleted; downloads answer 410 Gone, as WhatsApp's
 * hosts do for a file they no longer keep). Kept with the sandbox's other state so that, with a folder that lasts,
 * a restarted sandbox still serves what was uploaded before.
 */
public interface SandboxMediaStore {

    /**
     * One stored body.
     *
     * @param directPath the path it is served at, {@code /v/t62.<kind>/<token>}
     * @param file       its file's name inside the host's folder
     * @param uploader   a user JID without device, or a phone's
     * @param kind       the upload kind ({@code image}, {@code document}, ...)
     * @param expired    expired on demand: the bytes are gone
     */
    record MediaFile(String directPath, String file, String uploader, String kind, boolean expired) {
    }

    /** Records a newly stored body. */
    void save(MediaFile file);

    Optional<MediaFile> find(String directPath);

    /** Marks a body expired; false when the direct path is unknown. */
    boolean expire(String directPath);

    /** The direct paths of {@code uploader}'s bodies not yet expired. */
    List<String> liveUploadsOf(String uploader);

    /** How many bodies of {@code kind} the host holds, expired ones included. */
    long count(String kind);

    /** An index in memory, for a media host whose files need not outlive it. */
    static SandboxMediaStore inMemory() {
        Map<String, MediaFile> files = new ConcurrentHashMap<>();
        return new SandboxMediaStore() {
            @Override
            public void save(MediaFile file) {
                files.put(file.directPath(), file);
            }

            @Override
            public Optional<MediaFile> find(String directPath) {
                return Optional.ofNullable(files.get(directPath));
            }

            @Override
            public boolean expire(String directPath) {
                return files.computeIfPresent(directPath, (path, f) -> new MediaFile(f.directPath(), f.file(),
                        f.uploader(), f.kind(), true)) != null;
            }

            @Override
            public List<String> liveUploadsOf(String uploader) {
                return files.values().stream().filter(f -> f.uploader().equals(uploader) && !f.expired())
                        .map(MediaFile::directPath).toList();
            }

            @Override
            public long count(String kind) {
                return files.values().stream().filter(f -> f.kind().equals(kind)).count();
            }
        };
    }
}
