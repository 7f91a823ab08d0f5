package ponte.adapters.whatsapp.client;

import java.util.Arrays;
import java.util.Objects;
import java.util.Optional;
import ponte.domain.message.MediaType;

/**
 * The encrypted file a received media message points at, as its {@code ImageMessage} (or sibling) names it: where
 * it lies ({@code directPath}, {@code url}), the {@code mediaKey} that opens it and the hashes that check it
 * (protocol.md §1.16). The engine hands it to the application, which downloads it through the media transfer port.
 *
 * @param kind          the media family (fixes the HKDF info of the keys)
 * @param directPath    the path on the media host
 * @param url           the full URL the sender was given, when present
 * @param mediaKey      32 bytes
 * @param fileSha256    SHA-256 of the plaintext, 32 bytes
 * @param fileEncSha256 SHA-256 of the uploaded body (ciphertext ‖ MAC), 32 bytes
 * @param fileLength    the plaintext's length in bytes
 */
public record ReceivedFile(MediaType kind, String directPath, Optional<String> url, byte[] mediaKey,
                           byte[] fileSha256, byte[] fileEncSha256, long fileLength) {
    public ReceivedFile {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(directPath, "directPath");
        Objects.requireNonNull(url, "url");
        mediaKey = mediaKey.clone();
        fileSha256 = fileSha256.clone();
        fileEncSha256 = fileEncSha256.clone();
    }

    @Override
    public byte[] mediaKey() {
        return mediaKey.clone();
    }

    @Override
    public byte[] fileSha256() {
        return fileSha256.clone();
    }

    @Override
    public byte[] fileEncSha256() {
        return fileEncSha256.clone();
    }

    /** Whether the message named a complete file: a path, a 32-byte key and both 32-byte hashes. */
    public boolean complete() {
        return !directPath.isEmpty() && mediaKey.length == 32 && fileSha256.length == 32
                && fileEncSha256.length == 32 && fileLength >= 0;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof ReceivedFile that && kind == that.kind && directPath.equals(that.directPath)
                && url.equals(that.url) && Arrays.equals(mediaKey, that.mediaKey)
                && Arrays.equals(fileSha256, that.fileSha256) && Arrays.equals(fileEncSha256, that.fileEncSha256)
                && fileLength == that.fileLength;
    }

    @Override
    public int hashCode() {
        return Objects.hash(kind, directPath, fileLength);
    }

    /** Never prints the media key. */
    @Override
    public String toString() {
        return "ReceivedFile[" + kind + ", " + directPath + ", " + fileLength + " bytes]";
    }
}
