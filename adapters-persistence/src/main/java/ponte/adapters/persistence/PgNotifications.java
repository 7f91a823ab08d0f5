package ponte.adapters.persistence;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.UUID;
import javax.sql.DataSource;
import org.postgresql.PGConnection;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import ponte.adapters.persistence.jdbi.PgChannels;

/**
 * One connection that LISTENs for the outbox's channels and hands what it hears to this node. NOTIFY is not
 * durable (a node that is down hears nothing), which is fine: deliveries are polled as well, and live events are
 * not durable by contract.
 */
final class PgNotifications implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(PgNotifications.class);

    private final DataSource dataSource;
    private final UUID nodeId;
    private final NotificationListener listener;
    private final Thread thread;
    private volatile boolean running = true;
    private volatile Connection connection;

    PgNotifications(DataSource dataSource, UUID nodeId, NotificationListener listener) {
        this.dataSource = dataSource;
        this.nodeId = nodeId;
        this.listener = listener;
        this.thread = Thread.ofPlatform().daemon().name("ponte-listen").start(this::run);
    }

    private void run() {
        while (running) {
            try (var opened = dataSource.getConnection(); var statement = opened.createStatement()) {
                connection = opened;
                statement.execute("listen " + PgChannels.EVENTS);
                statement.execute("listen " + PgChannels.DELIVERIES);
                statement.execute("listen " + PgChannels.LEASES);
                statement.execute("listen " + PgChannels.COMMANDS);
                listener.deliveriesDue();
                listener.commandsWaiting();
                var pg = opened.unwrap(PGConnection.class);
                while (running) {
                    var notifications = pg.getNotifications(1000);
                    if (notifications == null) {
                        continue;
                    }
                    boolean due = false;
                    boolean released = false;
                    for (var notification : notifications) {
                        if (notification.getName().equals(PgChannels.DELIVERIES)) {
                            due = true;
                        } else if (notification.getName().equals(PgChannels.LEASES)) {
                            released |= !notification.getParameter().equals(nodeId.toString());
                        } else if (notification.getName().equals(PgChannels.COMMANDS)) {
                            command(notification.getParameter());
                        } else {
                            remote(notification.getParameter());
                        }
                    }
                    if (due) {
                        listener.deliveriesDue();
                    }
                    if (released) {
                        listener.leasesReleased();
                    }
                }
            } catch (SQLException | RuntimeException e) {
                if (running) {
                    LOG.warn("listening for notifications failed; reconnecting in 1 s: {}", e.getMessage());
                    pause();
                }
            }
        }
    }

    private void command(String payload) {
        try {
            if (payload.equals("run|" + nodeId)) {
                listener.commandsWaiting();
            } else if (payload.startsWith("done|")) {
                listener.commandDone(UUID.fromString(payload.substring(5)));
            }
        } catch (RuntimeException e) {
            LOG.warn("a command notification could not be handed on", e);
        }
    }

    private void remote(String payload) {
        var parts = payload.split("\\|");
        if (parts.length != 4 || parts[0].equals(nodeId.toString())) {
            return;
        }
        try {
            listener.remoteEvent(UUID.fromString(parts[1]), UUID.fromString(parts[2]), parts[3]);
        } catch (RuntimeException e) {
            LOG.warn("a live event from another node could not be handed on", e);
        }
    }

    private static void pause() {
        try {
            Thread.sleep(1000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        running = false;
        thread.interrupt();
        try {
            thread.join(3000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
