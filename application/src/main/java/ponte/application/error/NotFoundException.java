package ponte.application.error;

/** A resource that does not exist, or belongs to another tenant (which must look the same). */
public final class NotFoundException extends RuntimeException {
    public NotFoundException(String message) {
        super(message);
    }
}
