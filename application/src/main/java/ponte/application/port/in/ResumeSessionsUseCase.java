package ponte.application.port.in;

/** What a gateway node does with its sessions when it starts and when it stops, so every status stays true. */
public interface ResumeSessionsUseCase {
    /**
     * Run when the gateway starts. Instances still saying {@code qr}, {@code connecting} or {@code connected} (their
     * node died without stopping them) become {@code disconnected} with {@code gateway_stopped}; then the session
     * of every linked instance that was not stopped on purpose (logged out, disconnected by its user, replaced,
     * outdated, banned) starts, going {@code connecting} then {@code connected}. Returns how many started.
     */
    int resumeAll();

    /**
     * Run when the gateway stops gracefully: {@code stopEngine} closes the engine (which stops its sessions without
     * reporting), then every session this node ran becomes {@code disconnected} with {@code gateway_stopped}, which
     * the next start resumes. Returns how many.
     */
    int stopAll(Runnable stopEngine);
}
