package ponte.application.service;

import java.time.Duration;
import java.util.concurrent.Executor;
import ponte.application.port.in.NodeCommandsUseCase;
import ponte.application.port.out.NodeCommandStore;
import ponte.application.port.out.NodeCommandStore.Command;
import ponte.application.port.out.NodeCommandStore.Outcome;
import ponte.application.port.out.SessionDirectory;

/**
 * Serves the command table: what another node asked of a session this node runs goes through this node's own
 * leased sessions (so a session that moved on meanwhile is asked of its new owner), and the outcome, or the error
 * as its kind and message, is written back for the caller.
 */
final class NodeCommandService implements NodeCommandsUseCase {
    private static final System.Logger LOG = System.getLogger(NodeCommandService.class.getName());

    private final NodeCommandStore store;
    private final SessionOwnershipService sessions;
    private final RemoteSessionsClient client;
    private final SessionDirectory directory;
    private final ProxyService proxies;
    private final Executor background;

    NodeCommandService(NodeCommandStore store, SessionOwnershipService sessions, RemoteSessionsClient client,
                       SessionDirectory directory, ProxyService proxies, Executor background) {
        this.store = store;
        this.sessions = sessions;
        this.client = client;
        this.directory = directory;
        this.proxies = proxies;
        this.background = background;
    }

    @Override
    public int runWaiting() {
        var claimed = store.claim(sessions.node());
        claimed.forEach(command -> background.execute(() -> run(command)));
        return claimed.size();
    }

    @Override
    public void answered() {
        client.answered();
    }

    private void run(Command command) {
        Outcome outcome;
        try {
            outcome = new Outcome("ok", carryOut(command));
        } catch (RuntimeException e) {
            outcome = RemoteSessionsClient.outcomeOf(e);
        }
        try {
            store.complete(command.id(), outcome);
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "the outcome of a command for instance " + command.instanceId()
                    + " could not be stored; its caller times out", e);
        }
    }

    private String carryOut(Command command) {
        var id = command.instanceId();
        var instance = directory.findLive(id);
        var proxy = instance.map(i -> proxies.effectiveProxy(i.tenantId(), id))
                .orElse(ponte.domain.proxy.EffectiveProxy.NONE);
        switch (command.kind()) {
            case "start" -> sessions.start(id, proxy);
            case "stop" -> sessions.stop(id);
            case "logout" -> sessions.logout(id, proxy);
            case "discard" -> sessions.discard(id);
            case "reconnect" -> sessions.reconnect(id, proxy);
            case "pair_code" -> {
                var code = sessions.requestPairingCode(id, command.argument(), Duration.ofSeconds(10), proxy);
                return code.code() + "|" + code.expiresAt();
            }
            default -> throw new IllegalArgumentException("unknown command " + command.kind());
        }
        return "";
    }
}
