package ponte.adapters.http.dto;

import ponte.adapters.http.openapi.Doc;
import ponte.adapters.http.openapi.Example;
import ponte.adapters.http.openapi.Nullable;
import ponte.domain.settings.InstanceSettings;

/** Request and response bodies of the settings routes. */
public final class SettingsDtos {
    private SettingsDtos() {}

    @Doc("A partial update: only the fields sent change")
    public record SettingsBody(
            @Doc("Reject incoming calls automatically") Boolean rejectCalls,
            @Doc("Message sent to a rejected caller (at most 1000 characters; empty clears it)")
            @Example("I can't take calls here; please send a message.") String rejectCallMessage,
            @Doc("Do not process group messages") Boolean ignoreGroups,
            @Doc("Keep the instance shown as online") Boolean alwaysOnline,
            @Doc("Mark received messages as read") Boolean readMessages,
            @Doc("Do not sync the chat history on first connection (default true)") Boolean skipHistorySync,
            @Doc("Ignore status (stories) messages") Boolean ignoreStatus) {
        public InstanceSettings.Patch patch() {
            return new InstanceSettings.Patch(rejectCalls, rejectCallMessage, ignoreGroups, alwaysOnline,
                    readMessages, skipHistorySync, ignoreStatus);
        }
    }

    public record SettingsView(boolean rejectCalls, @Nullable String rejectCallMessage, boolean ignoreGroups,
                               boolean alwaysOnline, boolean readMessages, boolean skipHistorySync,
                               boolean ignoreStatus) {
        public static SettingsView of(InstanceSettings s) {
            return new SettingsView(s.rejectCalls(), s.rejectCallMessage(), s.ignoreGroups(), s.alwaysOnline(),
                    s.readMessages(), s.skipHistorySync(), s.ignoreStatus());
        }
    }

    public record SettingsResponse(boolean success, SettingsView settings) {}
}
