package ponte.adapters.persistence.jdbi;

import java.util.List;
import java.util.Optional;
import java.util.UUID;
import ponte.application.port.out.ChatStateStore;
import ponte.domain.appstate.AppStateChange;
import ponte.domain.message.Jid;
import ponte.domain.message.MessageId;

/**
 * The contact_names, chat_flags and labels tables (V11) and label_associations (V12): what app-state sync learnt,
 * keyed by instance and JID.
 */
public final class JdbiChatStateStore implements ChatStateStore {

    private final JdbiSession session;

    public JdbiChatStateStore(JdbiSession session) {
        this.session = session;
    }

    @Override
    public boolean apply(UUID instanceId, AppStateChange change) {
        return session.withHandle(h -> {
            switch (change) {
                case AppStateChange.ContactName named when named.name().isPresent() -> h.createUpdate("""
                                insert into contact_names (instance_id, jid, name, updated_at)
                                values (:instance, :jid, :name, :at)
                                on conflict (instance_id, jid) do update set name = excluded.name,
                                    updated_at = excluded.updated_at""")
                        .bind("instance", instanceId).bind("jid", named.jid().toString())
                        .bind("name", named.name().get()).bind("at", Times.toDb(named.at())).execute();
                case AppStateChange.ContactName forgotten -> h.createUpdate(
                                "delete from contact_names where instance_id = :instance and jid = :jid")
                        .bind("instance", instanceId).bind("jid", forgotten.jid().toString()).execute();
                case AppStateChange.ChatArchived archived -> flag(h, instanceId, archived.chat().toString(),
                        "archived = :value", archived.archived(), archived);
                case AppStateChange.ChatPinned pinned -> flag(h, instanceId, pinned.chat().toString(),
                        "pinned = :value", pinned.pinned(), pinned);
                case AppStateChange.ChatMuted muted -> h.createUpdate("""
                                insert into chat_flags (instance_id, jid, muted, muted_until, updated_at)
                                values (:instance, :jid, :muted, :until, :at)
                                on conflict (instance_id, jid) do update set muted = excluded.muted,
                                    muted_until = excluded.muted_until, updated_at = excluded.updated_at""")
                        .bind("instance", instanceId).bind("jid", muted.chat().toString())
                        .bind("muted", muted.muted())
                        .bind("until", muted.until().map(Times::toDb).orElse(null))
                        .bind("at", Times.toDb(muted.at())).execute();
                case AppStateChange.LabelEdited edited -> {
                    // no change when the label is kept as it was (name, colour, deleted): a snapshot sends every
                    // label again, and one deleted label deleted again keeps its name
                    return h.createUpdate("""
                                    insert into labels (instance_id, label_id, name, color, deleted, updated_at)
                                    values (:instance, :id, :name, :color, :deleted, :at)
                                    on conflict (instance_id, label_id) do update set
                                        name = case when excluded.deleted and excluded.name = '' then labels.name
                                            else excluded.name end,
                                        color = excluded.color, deleted = excluded.deleted,
                                        updated_at = excluded.updated_at
                                    where (labels.name, labels.color, labels.deleted) is distinct from
                                        (case when excluded.deleted and excluded.name = '' then labels.name
                                            else excluded.name end, excluded.color, excluded.deleted)""")
                            .bind("instance", instanceId).bind("id", edited.labelId()).bind("name", edited.name())
                            .bind("color", edited.color()).bind("deleted", edited.deleted())
                            .bind("at", Times.toDb(edited.at())).execute() > 0;
                }
                case AppStateChange.LabelAssociated associated -> {
                    var message = associated.message().map(MessageId::value).orElse("");
                    if (associated.labeled()) {
                        return h.createUpdate("""
                                        insert into label_associations (instance_id, label_id, chat_jid, message_id,
                                            updated_at)
                                        values (:instance, :label, :chat, :message, :at)
                                        on conflict do nothing""")
                                .bind("instance", instanceId).bind("label", associated.labelId())
                                .bind("chat", associated.chat().toString()).bind("message", message)
                                .bind("at", Times.toDb(associated.at())).execute() > 0;
                    }
                    return h.createUpdate("""
                                    delete from label_associations where instance_id = :instance
                                        and label_id = :label and chat_jid = :chat and message_id = :message""")
                            .bind("instance", instanceId).bind("label", associated.labelId())
                            .bind("chat", associated.chat().toString()).bind("message", message).execute() > 0;
                }
                case AppStateChange.Reset reset -> {
                    for (AppStateChange.Kind kind : reset.kinds()) {
                        String sql = switch (kind) {
                            case CONTACT_NAMES -> "delete from contact_names where instance_id = :instance";
                            case CHAT_ARCHIVED -> "update chat_flags set archived = false where instance_id = :instance";
                            case CHAT_PINNED -> "update chat_flags set pinned = false where instance_id = :instance";
                            case CHAT_MUTED -> "update chat_flags set muted = false, muted_until = null "
                                    + "where instance_id = :instance";
                            // what the snapshot no longer holds is deleted by the caller, one announced change each
                            case LABELS -> null;
                        };
                        if (sql != null) {
                            h.createUpdate(sql).bind("instance", instanceId).execute();
                        }
                    }
                }
            }
            return true;
        });
    }

    private static void flag(org.jdbi.v3.core.Handle h, UUID instanceId, String jid, String set, boolean value,
                             AppStateChange change) {
        String column = set.substring(0, set.indexOf(' '));
        h.createUpdate("insert into chat_flags (instance_id, jid, " + column + ", updated_at) "
                        + "values (:instance, :jid, :value, :at) on conflict (instance_id, jid) do update set " + set
                        + ", updated_at = excluded.updated_at")
                .bind("instance", instanceId).bind("jid", jid).bind("value", value)
                .bind("at", Times.toDb(change.at())).execute();
    }

    @Override
    public List<Label> labels(UUID instanceId) {
        return session.withHandle(h -> h.createQuery("""
                        select label_id, name, color, deleted from labels
                        where instance_id = :instance and not deleted order by label_id""")
                .bind("instance", instanceId)
                .map((rs, ctx) -> new Label(rs.getString(1), rs.getString(2), rs.getInt(3), rs.getBoolean(4)))
                .list());
    }

    @Override
    public List<Association> associations(UUID instanceId) {
        return session.withHandle(h -> h.createQuery("""
                        select label_id, chat_jid, message_id from label_associations
                        where instance_id = :instance order by label_id, chat_jid, message_id""")
                .bind("instance", instanceId)
                .map((rs, ctx) -> {
                    String label = rs.getString(1);
                    Optional<MessageId> message = Optional.of(rs.getString(3)).filter(id -> !id.isEmpty())
                            .map(MessageId::new);
                    return Jid.parse(rs.getString(2)).map(chat -> new Association(label, chat, message));
                })
                .list().stream().flatMap(Optional::stream).toList());
    }

    @Override
    public Optional<Label> label(UUID instanceId, String labelId) {
        return session.withHandle(h -> h.createQuery("""
                        select label_id, name, color, deleted from labels
                        where instance_id = :instance and label_id = :id""")
                .bind("instance", instanceId).bind("id", labelId)
                .map((rs, ctx) -> new Label(rs.getString(1), rs.getString(2), rs.getInt(3), rs.getBoolean(4)))
                .findOne());
    }
}
