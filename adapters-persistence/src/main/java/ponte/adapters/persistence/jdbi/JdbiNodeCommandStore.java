package ponte.adapters.persistence.jdbi;

import java.util.List;
import java.util.Optional;
import java.util.UUID;
import ponte.application.port.out.NodeCommandStore;

/** The node_commands table; NOTIFY on {@link PgChannels#COMMANDS} wakes the owner and, once done, the caller. */
public final class JdbiNodeCommandStore implements NodeCommandStore {
    private final JdbiSession session;

    public JdbiNodeCommandStore(JdbiSession session) {
        this.session = session;
    }

    @Override
    public void submit(Command command) {
        session.useHandle(h -> {
            h.createUpdate("""
                            insert into node_commands (id, node_id, instance_id, command, argument)
                            values (:id, :node, :instance, :command, :argument)""")
                    .bind("id", command.id()).bind("node", command.node()).bind("instance", command.instanceId())
                    .bind("command", command.kind()).bind("argument", command.argument())
                    .execute();
            PgChannels.notify(h, PgChannels.COMMANDS, "run|" + command.node());
        });
    }

    @Override
    public List<Command> claim(UUID node) {
        return session.withHandle(h -> h.createQuery("""
                        update node_commands set claimed_at = now()
                        where id in (select id from node_commands where node_id = :node and claimed_at is null
                                     order by created_at for update skip locked)
                        returning id, node_id, instance_id, command, argument""")
                .bind("node", node)
                .map((rs, ctx) -> new Command(rs.getObject("id", UUID.class), rs.getObject("node_id", UUID.class),
                        rs.getObject("instance_id", UUID.class), rs.getString("command"), rs.getString("argument")))
                .list());
    }

    @Override
    public void complete(UUID commandId, Outcome outcome) {
        session.useHandle(h -> {
            h.createUpdate("update node_commands set done_at = now(), outcome = :outcome, detail = :detail "
                            + "where id = :id")
                    .bind("id", commandId).bind("outcome", outcome.result()).bind("detail", outcome.detail())
                    .execute();
            PgChannels.notify(h, PgChannels.COMMANDS, "done|" + commandId);
        });
    }

    @Override
    public Optional<Outcome> outcome(UUID commandId) {
        return session.withHandle(h -> h.createQuery(
                        "select outcome, detail from node_commands where id = :id and done_at is not null")
                .bind("id", commandId)
                .map((rs, ctx) -> new Outcome(rs.getString("outcome"), rs.getString("detail")))
                .findOne());
    }

    @Override
    public void forget(UUID commandId) {
        session.useHandle(h -> h.createUpdate("delete from node_commands where id = :id").bind("id", commandId)
                .execute());
    }
}
