package ponte.application.port.in;

public interface ResumeSessionsUseCase {
    /**
     * Starts the session of every linked instance that was not stopped on purpose (logged out, disconnected by its
     * user, replaced, outdated, banned); returns how many. Run when the gateway starts.
     */
    int resumeAll();
}
