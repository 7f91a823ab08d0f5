package ponte.domain.settings;

import ponte.domain.validation.Violations;

/** How an instance behaves towards calls, groups, presence, receipts, history and stories. */
public record InstanceSettings(
        boolean rejectCalls,
        String rejectCallMessage,
        boolean ignoreGroups,
        boolean alwaysOnline,
        boolean readMessages,
        boolean skipHistorySync,
        boolean ignoreStatus) {
    public static final int MAX_MESSAGE_LENGTH = 1000;

    /** History sync is skipped unless asked for: a first connection should not replay years of chats. */
    public static final InstanceSettings DEFAULTS = new InstanceSettings(false, null, false, false, false, true, false);

    public InstanceSettings {
        new Violations()
                .check(rejectCallMessage == null || rejectCallMessage.length() <= MAX_MESSAGE_LENGTH,
                        "reject_call_message", "must be at most 1000 characters")
                .throwIfAny();
        rejectCallMessage = rejectCallMessage == null || rejectCallMessage.isBlank() ? null : rejectCallMessage;
    }

    /** A partial update: absent (null) fields keep their current value. */
    public InstanceSettings with(Patch patch) {
        return new InstanceSettings(
                pick(patch.rejectCalls(), rejectCalls),
                patch.rejectCallMessage() != null ? patch.rejectCallMessage() : rejectCallMessage,
                pick(patch.ignoreGroups(), ignoreGroups),
                pick(patch.alwaysOnline(), alwaysOnline),
                pick(patch.readMessages(), readMessages),
                pick(patch.skipHistorySync(), skipHistorySync),
                pick(patch.ignoreStatus(), ignoreStatus));
    }

    private static boolean pick(Boolean changed, boolean current) {
        return changed != null ? changed : current;
    }

    /** The fields a caller sent; null means "leave as it is". */
    public record Patch(Boolean rejectCalls, String rejectCallMessage, Boolean ignoreGroups, Boolean alwaysOnline,
                        Boolean readMessages, Boolean skipHistorySync, Boolean ignoreStatus) {}
}
