package ponte.bootstrap;

import java.io.IOException;
import java.time.Clock;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** A running gateway: its database, its HTTP server, and the order in which they start and stop. */
public final class Gateway implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Gateway.class);

    private final Database database;
    private final GatewayComponent component;
    private final Optional<String> generatedAdminToken;

    private Gateway(Database database, GatewayComponent component, Optional<String> generatedAdminToken) {
        this.database = database;
        this.component = component;
        this.generatedAdminToken = generatedAdminToken;
    }

    public static Gateway start(Config config, Clock clock) throws IOException {
        long started = System.nanoTime();
        var database = Database.open(config);
        try {
            var component = DaggerGatewayComponent.factory().create(config, database, clock);
            component.secretCipher(); // the master key is resolved (or generated) before anything is stored
            var generated = component.services().ensureAdminToken().ensure();
            component.http().start(config.host(), config.port());
            LOG.info("Ponte {} serving on http://{}:{} ({} database) in {} ms", Version.current(), config.host(),
                    component.http().port(), config.embeddedDatabase() ? "embedded" : "external",
                    (System.nanoTime() - started) / 1_000_000);
            return new Gateway(database, component, generated);
        } catch (RuntimeException e) {
            database.close();
            throw e;
        }
    }

    public int port() {
        return component.http().port();
    }

    /** The admin token this start generated, if it generated one: shown once, never stored in clear. */
    public Optional<String> generatedAdminToken() {
        return generatedAdminToken;
    }

    /** The gateway's own connection pool: for tests that must look at the database beneath the API. */
    javax.sql.DataSource dataSource() {
        return database.dataSource();
    }

    public java.util.List<String> registeredRoutes() {
        return component.http().registeredRoutes();
    }

    @Override
    public void close() throws IOException {
        component.http().stop();
        database.close();
    }
}
