package ponte.bootstrap;

/**
 * A start-up fault the user can fix without reading a stack trace (the data folder is in use, a port is taken):
 * {@link Main} prints its message as one line and exits with {@link #EXIT_CODE}.
 */
final class StartupFailure extends RuntimeException {
    /** The exit code of a gateway that could not start; {@code 2} is kept for an invalid configuration. */
    static final int EXIT_CODE = 1;

    StartupFailure(String message) {
        super(message, null, false, false);
    }
}
