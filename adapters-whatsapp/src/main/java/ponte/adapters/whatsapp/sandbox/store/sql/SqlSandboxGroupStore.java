package ponte.adapters.whatsapp.sandbox.store.sql;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.PreparedBatch;
import ponte.adapters.whatsapp.sandbox.store.SandboxGroupStore;

/** {@link SandboxGroupStore} in {@code whatsapp.sandbox_group} and {@code whatsapp.sandbox_group_member}. */
final class SqlSandboxGroupStore implements SandboxGroupStore {

    private final Jdbi jdbi;

    SqlSandboxGroupStore(Jdbi jdbi) {
        this.jdbi = jdbi;
    }

    @Override
    public void saveGroup(StoredGroup group) {
        jdbi.useTransaction(handle -> {
            handle.createUpdate("""
                    insert into whatsapp.sandbox_group (group_id, subject, creator, created_at, addressing_mode,
                        description, description_id, announce, locked, invite_code)
                    values (:id, :subject, :creator, :creation, :mode, :description, :descriptionId, :announce,
                        :locked, :inviteCode)
                    on conflict (group_id) do update set subject = excluded.subject,
                        addressing_mode = excluded.addressing_mode, description = excluded.description,
                        description_id = excluded.description_id, announce = excluded.announce,
                        locked = excluded.locked, invite_code = excluded.invite_code""")
                    .bind("id", group.id())
                    .bind("subject", group.subject())
                    .bind("creator", group.creator())
                    .bind("creation", group.creation())
                    .bind("mode", group.addressingMode())
                    .bind("description", group.description())
                    .bind("descriptionId", group.descriptionId())
                    .bind("announce", group.announce())
                    .bind("locked", group.locked())
                    .bind("inviteCode", group.inviteCode())
                    .execute();
            handle.createUpdate("delete from whatsapp.sandbox_group_member where group_id = :id")
                    .bind("id", group.id()).execute();
            PreparedBatch members = handle.prepareBatch("""
                    insert into whatsapp.sandbox_group_member (group_id, phone, role, position)
                    values (:id, :phone, :role, :position)""");
            int position = 0;
            for (Map.Entry<String, String> member : group.members().entrySet()) {
                members.bind("id", group.id()).bind("phone", member.getKey()).bind("role", member.getValue())
                        .bind("position", position++).add();
            }
            if (members.size() > 0) {
                members.execute();
            }
        });
    }

    @Override
    public void deleteGroup(String id) {
        jdbi.useHandle(handle -> handle.createUpdate("delete from whatsapp.sandbox_group where group_id = :id")
                .bind("id", id).execute());
    }

    @Override
    public List<StoredGroup> groups() {
        return jdbi.withHandle(handle -> {
            Map<String, Map<String, String>> members = new LinkedHashMap<>();
            handle.createQuery("""
                    select group_id, phone, role from whatsapp.sandbox_group_member order by group_id, position""")
                    .map((rs, ctx) -> {
                        members.computeIfAbsent(rs.getString(1), id -> new LinkedHashMap<>())
                                .put(rs.getString(2), rs.getString(3));
                        return null;
                    }).list();
            List<StoredGroup> groups = new ArrayList<>();
            handle.createQuery("""
                    select group_id, subject, creator, created_at, addressing_mode, description, description_id,
                        announce, locked, invite_code
                    from whatsapp.sandbox_group order by group_id""")
                    .map((rs, ctx) -> new StoredGroup(rs.getString(1), rs.getString(2), rs.getString(3),
                            rs.getLong(4), rs.getString(5), members.getOrDefault(rs.getString(1), Map.of()),
                            rs.getString(6), rs.getString(7), rs.getBoolean(8), rs.getBoolean(9),
                            rs.getString(10)))
                    .forEach(groups::add);
            return groups;
        });
    }
}
