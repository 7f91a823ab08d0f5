package ponte.bootstrap;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.io.IOException;
import javax.sql.DataSource;

/** The connection pool, over the configured server or the embedded default. */
final class Database implements AutoCloseable {
    private final HikariDataSource pool;
    private final EmbeddedDatabase embedded;

    private Database(HikariDataSource pool, EmbeddedDatabase embedded) {
        this.pool = pool;
        this.embedded = embedded;
    }

    static Database open(Config config) throws IOException {
        EmbeddedDatabase embedded = null;
        var hikari = new HikariConfig();
        hikari.setPoolName("ponte");
        hikari.setMaximumPoolSize(20);
        hikari.setConnectionTimeout(10_000);
        if (config.embeddedDatabase()) {
            embedded = EmbeddedDatabase.start(config.dataDir());
            hikari.setJdbcUrl(embedded.jdbcUrl());
            hikari.setUsername("postgres");
            hikari.setPassword("postgres");
        } else {
            hikari.setJdbcUrl(config.databaseUrl().orElseThrow());
            hikari.setUsername(config.databaseUser());
            hikari.setPassword(config.databasePassword());
        }
        try {
            return new Database(new HikariDataSource(hikari), embedded);
        } catch (RuntimeException e) {
            if (embedded != null) {
                embedded.close();
            }
            throw e;
        }
    }

    DataSource dataSource() {
        return pool;
    }

    @Override
    public void close() throws IOException {
        pool.close();
        if (embedded != null) {
            embedded.close();
        }
    }
}
