package ponte.adapters.persistence.jdbi;

import java.sql.ResultSet;
import java.sql.SQLException;
import ponte.domain.integration.IntegrationStatus;

/** An integration's last check, kept as {@code status} and {@code status_reason} columns. */
final class IntegrationStatuses {
    private IntegrationStatuses() {}

    static IntegrationStatus read(ResultSet rs) throws SQLException {
        return new IntegrationStatus(IntegrationStatus.State.fromWire(rs.getString("status")),
                rs.getString("status_reason"));
    }
}
