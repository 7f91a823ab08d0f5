package ponte.testing;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.sql.SQLException;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;
import org.postgresql.ds.PGSimpleDataSource;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.postgresql.PostgreSQLContainer;

/**
 * A real PostgreSQL for tests: a Testcontainers container where a Docker engine answers, otherwise the embedded
 * PostgreSQL binaries from Maven Central. One server per test JVM; {@link #newDatabase()} gives each test class a
 * database of its own so that tests never see each other's rows.
 */
public final class PostgresFixture {
    private static final AtomicInteger DATABASES = new AtomicInteger();
    private static PostgresFixture shared;

    private final String host;
    private final int port;
    private final String database;
    private final String user;
    private final String password;

    private PostgresFixture(String host, int port, String database, String user, String password) {
        this.host = host;
        this.port = port;
        this.database = database;
        this.user = user;
        this.password = password;
    }

    /** The server of this JVM, started on first use and stopped when the JVM exits. */
    public static synchronized PostgresFixture shared() {
        if (shared == null) {
            shared = dockerAnswers() ? startContainer() : startEmbedded();
        }
        return shared;
    }

    /** A new, empty database on the shared server. */
    public static PostgresFixture newDatabase() {
        var server = shared();
        var name = "ponte_test_" + ProcessHandle.current().pid() + "_" + DATABASES.incrementAndGet();
        try (var connection = server.dataSource().getConnection(); var statement = connection.createStatement()) {
            statement.execute("create database " + name);
        } catch (SQLException e) {
            throw new IllegalStateException("could not create test database " + name, e);
        }
        return new PostgresFixture(server.host, server.port, name, server.user, server.password);
    }

    public DataSource dataSource() {
        var source = new PGSimpleDataSource();
        source.setUrl(jdbcUrl());
        source.setUser(user);
        source.setPassword(password);
        return source;
    }

    public String jdbcUrl() {
        return "jdbc:postgresql://" + host + ":" + port + "/" + database;
    }

    public String user() {
        return user;
    }

    public String password() {
        return password;
    }

    private static boolean dockerAnswers() {
        try {
            return DockerClientFactory.instance().isDockerAvailable();
        } catch (RuntimeException | LinkageError e) {
            return false;
        }
    }

    @SuppressWarnings("resource") // stopped by the shutdown hook
    private static PostgresFixture startContainer() {
        var container = new PostgreSQLContainer("postgres:16-alpine");
        container.start();
        Runtime.getRuntime().addShutdownHook(new Thread(container::stop));
        return new PostgresFixture(container.getHost(), container.getMappedPort(5432), container.getDatabaseName(),
                container.getUsername(), container.getPassword());
    }

    private static PostgresFixture startEmbedded() {
        try {
            var postgres = EmbeddedPostgres.builder().start();
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                try {
                    postgres.close();
                } catch (java.io.IOException ignored) {
                    // the JVM is going away; the temporary cluster is removed with it
                }
            }));
            return new PostgresFixture("localhost", postgres.getPort(), "postgres", "postgres", "postgres");
        } catch (java.io.IOException e) {
            throw new IllegalStateException("could not start the embedded PostgreSQL", e);
        }
    }
}
