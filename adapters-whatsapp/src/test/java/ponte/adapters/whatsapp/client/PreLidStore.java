package ponte.adapters.whatsapp.client;

import java.util.UUID;
import javax.sql.DataSource;
import org.jdbi.v3.core.Jdbi;

/**
 * Puts a device store back into the state a client from before LID-addressed sessions left: every session and
 * identity kept under a LID address ({@code lid_1.device}) moved to the phone-number address of that LID, and the
 * PN-LID mappings forgotten, so the next LID it learns meets a session under the number.
 */
final class PreLidStore {

    private PreLidStore() {
    }

    /** Rewinds {@code device}'s rows; returns how many sessions now sit under a phone-number address. */
    static int rewind(DataSource database, UUID device) {
        return Jdbi.create(database).inTransaction(handle -> {
            int moved = 0;
            for (String table : new String[] {"whatsapp_store.signal_session", "whatsapp_store.signal_identity"}) {
                int rows = handle.createUpdate("update " + table + """
                         t set peer_name = m.pn_user from whatsapp_store.lid_mapping m
                        where t.device_id = :id and m.device_id = :id and t.peer_name = m.lid_user || '_1'""")
                        .bind("id", device).execute();
                if (table.endsWith("session")) {
                    moved = rows;
                }
            }
            handle.createUpdate("delete from whatsapp_store.lid_mapping where device_id = :id")
                    .bind("id", device).execute();
            return moved;
        });
    }

    /** The peer names ({@code user[_agent]}) the device keeps sessions under for one peer device number. */
    static java.util.List<String> sessionNames(DataSource database, UUID device) {
        return Jdbi.create(database).withHandle(handle -> handle.createQuery("""
                select peer_name || '.' || peer_device from whatsapp_store.signal_session
                where device_id = :id order by 1""").bind("id", device).mapTo(String.class).list());
    }
}
