package ponte.bootstrap;

import java.util.Optional;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import ponte.adapters.whatsapp.wiring.SandboxNetwork;
import ponte.adapters.whatsapp.wiring.SandboxSettings;
import ponte.adapters.whatsapp.wiring.WireClientFactory;
import ponte.application.port.out.SandboxPort;

/** The network the gateway's WhatsApp clients dial: WhatsApp itself, or the sandbox simulating it on loopback. */
final class WhatsAppNetwork implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(WhatsAppNetwork.class);

    private final Optional<SandboxNetwork> sandbox;
    private final Optional<Config.RemoteSandbox> remote;

    private WhatsAppNetwork(Optional<SandboxNetwork> sandbox, Optional<Config.RemoteSandbox> remote) {
        this.sandbox = sandbox;
        this.remote = remote;
    }

    static WhatsAppNetwork start(Config config, DataSource dataSource) {
        if (config.whatsapp() != Config.Network.SANDBOX) {
            return new WhatsAppNetwork(Optional.empty(), Optional.empty());
        }
        var remote = config.remoteSandbox().or(() -> config.sandboxApi().map(SandboxInfoClient::resolve));
        if (remote.isPresent()) {
            LOG.warn("PONTE_WHATSAPP=sandbox: instances dial the simulated WhatsApp network another process hosts "
                    + "at {}, not WhatsApp", remote.get().wsUrl());
            return new WhatsAppNetwork(Optional.empty(), remote);
        }
        // the media host's files under the data folder, so that a restarted sandbox still serves them
        var network = SandboxNetwork.start(dataSource, SandboxSettings.loopback(config.sandboxPort())
                .withMediaFolder(config.dataDir().resolve("sandbox-media")));
        LOG.warn("PONTE_WHATSAPP=sandbox: instances dial the simulated WhatsApp network at {}, not WhatsApp",
                network.wsUrl());
        return new WhatsAppNetwork(Optional.of(network), Optional.empty());
    }

    /** Clients that dial this network and trust its root, speaking the configured WhatsApp Web version. */
    WireClientFactory clients(Optional<String> waVersion) {
        var version = waVersion.orElse(null);
        return sandbox.map(network -> network.clientFactory(version))
                .or(() -> remote.map(r -> WireClientFactory.sandbox(r.wsUrl(), r.rootPublicKey(), version)))
                .orElseGet(() -> WireClientFactory.whatsapp(version));
    }

    Optional<SandboxPort> sandbox() {
        return sandbox.map(network -> network);
    }

    @Override
    public void close() {
        sandbox.ifPresent(SandboxNetwork::close);
    }
}
