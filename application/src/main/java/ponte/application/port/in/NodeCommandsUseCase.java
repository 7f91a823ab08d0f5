package ponte.application.port.in;

/**
 * The command table as this node serves it: lifecycle commands other nodes wrote for sessions this node runs, and
 * the answers to the commands this node wrote for others. Both are driven by PostgreSQL NOTIFY.
 */
public interface NodeCommandsUseCase {
    /**
     * Claims the commands addressed to this node and carries each out (in the background: a logout can take
     * seconds), writing its outcome for the node that waits. Returns how many it claimed.
     */
    int runWaiting();

    /** Another node answered a command: this node's waiters look for their outcome. */
    void answered();
}
