package ponte.application.error;

/** A byte range that lies outside the file (HTTP 416); {@code size} is what the {@code Content-Range} names. */
public final class RangeNotSatisfiableException extends RuntimeException {
    private final long size;

    public RangeNotSatisfiableException(long size) {
        super("the requested range lies outside the file of " + size + " bytes");
        this.size = size;
    }

    public long size() {
        return size;
    }
}
