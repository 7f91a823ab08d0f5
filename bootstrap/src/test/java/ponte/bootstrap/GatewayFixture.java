package ponte.bootstrap;

import java.io.IOException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Supplier;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import ponte.testing.PostgresFixture;

/**
 * A whole gateway in the test JVM on a database of its own (real PostgreSQL), listening on a free port. Tests talk
 * to it only through HTTP, as users do.
 *
 * <p>As a JUnit 5 extension it starts and stops itself: {@code @RegisterExtension static final GatewayFixture
 * gateway = GatewayFixture.perClass(env)} gives the test class one gateway (started before its {@code @BeforeAll}
 * methods, closed after its {@code @AfterAll} ones), {@link #perTest} a fresh one on a fresh database for each test.
 * {@link #start} still gives a started gateway to close yourself, for tests that restart one.
 */
public final class GatewayFixture implements AutoCloseable, BeforeAllCallback, AfterAllCallback, BeforeEachCallback,
        AfterEachCallback {
    public static final String ADMIN_TOKEN = "pta_test-admin-token-0123456789";
    /** One key for every test gateway, so a gateway restarted on a database opens the secrets it sealed there. */
    private static final String MASTER_KEY = Base64.getEncoder().encodeToString(new SecureRandom().generateSeed(32));

    private final Supplier<PostgresFixture> databases;
    private final Map<String, String> env;
    private final boolean perTest;
    private Gateway gateway;
    private PostgresFixture database;
    private Http http;

    private GatewayFixture(Supplier<PostgresFixture> databases, Map<String, String> env, boolean perTest) {
        this.databases = databases;
        this.env = env;
        this.perTest = perTest;
    }

    /** One gateway for the whole test class, on a new database; {@code env} adds or overrides variables. */
    public static GatewayFixture perClass(Map<String, String> env) {
        return new GatewayFixture(PostgresFixture::newDatabase, env, false);
    }

    public static GatewayFixture perClass() {
        return perClass(Map.of());
    }

    /** A new gateway on a new database for every test. */
    public static GatewayFixture perTest(Map<String, String> env) {
        return new GatewayFixture(PostgresFixture::newDatabase, env, true);
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        if (!perTest) {
            launch();
        }
    }

    @Override
    public void afterAll(ExtensionContext context) {
        if (!perTest) {
            close();
        }
    }

    @Override
    public void beforeEach(ExtensionContext context) {
        if (perTest) {
            launch();
        }
    }

    @Override
    public void afterEach(ExtensionContext context) {
        if (perTest) {
            close();
        }
    }

    private GatewayFixture launch() {
        this.database = databases.get();
        this.gateway = boot(database, env);
        this.http = new Http("http://127.0.0.1:" + gateway.port());
        return this;
    }

    public static GatewayFixture start() {
        return start(Map.of());
    }

    /** Starts on a new database; {@code env} adds or overrides {@code PONTE_*} variables. */
    public static GatewayFixture start(Map<String, String> env) {
        return start(PostgresFixture.newDatabase(), env);
    }

    public static GatewayFixture start(PostgresFixture database, Map<String, String> env) {
        return new GatewayFixture(() -> database, env, false).launch();
    }

    private static Gateway boot(PostgresFixture database, Map<String, String> env) {
        var variables = new HashMap<String, String>();
        variables.put("PONTE_HOST", "127.0.0.1");
        variables.put("PONTE_PORT", "0");
        variables.put("PONTE_DATABASE_URL", database.jdbcUrl());
        variables.put("PONTE_DATABASE_USER", database.user());
        variables.put("PONTE_DATABASE_PASSWORD", database.password());
        variables.put("PONTE_ADMIN_TOKEN", ADMIN_TOKEN);
        variables.put("PONTE_MASTER_KEY", MASTER_KEY);
        // the tests' own webhook receivers, media pages and stand-in Chatwoot listen on loopback
        variables.put("PONTE_EGRESS_ALLOW_PRIVATE", "true");
        variables.putAll(env);
        variables.values().removeIf(String::isEmpty);
        try {
            return Gateway.start(Config.fromEnvironment(variables), Clock.tickMillis(ZoneOffset.UTC));
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    public Http http() {
        return http;
    }

    public Gateway gateway() {
        return gateway;
    }

    public PostgresFixture database() {
        return database;
    }

    /** A new tenant with its first account token. */
    public Tenant newTenant(String name) {
        var response = http.post("/v1/tenants", ADMIN_TOKEN, "{\"name\":\"" + name + "\"}");
        if (response.status() != 201) {
            throw new AssertionError("could not create tenant: " + response);
        }
        var json = response.json();
        return new Tenant(json.at("/tenant/id").asText(), json.at("/token").asText());
    }

    /** A new instance of a tenant, with its instance token. */
    public Instance newInstance(Tenant tenant, String name) {
        var response = http.post("/v1/instances", tenant.token(), "{\"name\":\"" + name + "\"}");
        if (response.status() != 201) {
            throw new AssertionError("could not create instance: " + response);
        }
        var json = response.json();
        return new Instance(json.at("/instance/id").asText(), name, json.at("/instance/token").asText());
    }

    /** Stops the gateway (its database stays, for a restart on it). */
    @Override
    public void close() {
        if (gateway == null) {
            return;
        }
        try {
            gateway.close();
            gateway = null;
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    public record Tenant(String id, String token) {}

    public record Instance(String id, String name, String token) {}
}
