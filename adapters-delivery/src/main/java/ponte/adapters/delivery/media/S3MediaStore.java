package ponte.adapters.delivery.media;

import java.io.InputStream;
import java.net.URI;
import java.nio.file.Path;
import java.util.Optional;
import ponte.application.port.out.MediaStore;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * One S3 bucket as a media store. Uploads stream from the file (the SDK signs and sends it in chunks, never whole in
 * memory); downloads are ranged GETs streamed to the caller.
 */
final class S3MediaStore implements MediaStore {
    private final S3Client client;
    private final String bucket;

    S3MediaStore(S3Client client, String bucket) {
        this.client = client;
        this.bucket = bucket;
    }

    @Override
    public Kind kind() {
        return Kind.S3;
    }

    @Override
    public Optional<String> bucket() {
        return Optional.of(bucket);
    }

    @Override
    public void put(String key, Path file, String mimeType) {
        try {
            client.putObject(request -> request.bucket(bucket).key(key).contentType(mimeType),
                    RequestBody.fromFile(file));
        } catch (SdkException e) {
            throw new MediaStoreException("the S3 store refused the media file (bucket '" + bucket + "'): "
                    + describe(e), false, e);
        }
    }

    @Override
    public InputStream open(String key, long offset, long length) {
        if (length == 0) {
            return InputStream.nullInputStream();
        }
        try {
            return client.getObject(request -> request.bucket(bucket).key(key)
                    .range("bytes=" + offset + "-" + (offset + length - 1)));
        } catch (NoSuchKeyException e) {
            throw new MediaStoreException("the media file is missing from bucket '" + bucket + "'", true, e);
        } catch (SdkException e) {
            throw new MediaStoreException("could not read the media file from bucket '" + bucket + "': "
                    + describe(e), false, e);
        }
    }

    @Override
    public boolean delete(String key) {
        client.deleteObject(request -> request.bucket(bucket).key(key));
        return true;
    }

    @Override
    public Optional<URI> url(String key) {
        return Optional.of(URI.create(client.utilities().getUrl(request -> request.bucket(bucket).key(key))
                .toExternalForm()));
    }

    private static String describe(SdkException e) {
        return e instanceof S3Exception s3 ? "HTTP " + s3.statusCode() : e.getClass().getSimpleName();
    }
}
