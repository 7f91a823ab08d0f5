package ponte.domain.settings;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import ponte.domain.validation.ValidationException;

class InstanceSettingsTest {
    @Test
    void historySyncIsSkippedByDefaultAndEverythingElseIsOff() {
        assertThat(InstanceSettings.DEFAULTS).isEqualTo(
                new InstanceSettings(false, null, false, false, false, true, false));
    }

    @Test
    void aPatchChangesOnlyTheFieldsItCarries() {
        var patched = InstanceSettings.DEFAULTS.with(
                new InstanceSettings.Patch(true, "busy", null, null, null, false, null));
        assertThat(patched).isEqualTo(new InstanceSettings(true, "busy", false, false, false, false, false));
        assertThat(patched.with(new InstanceSettings.Patch(null, null, true, null, null, null, null)))
                .isEqualTo(new InstanceSettings(true, "busy", true, false, false, false, false));
    }

    @Test
    void anEmptyRejectMessageClearsIt() {
        var withMessage = InstanceSettings.DEFAULTS.with(new InstanceSettings.Patch(null, "busy", null, null, null,
                null, null));
        assertThat(withMessage.with(new InstanceSettings.Patch(null, "", null, null, null, null, null))
                .rejectCallMessage()).isNull();
    }

    @Test
    void anOverlongRejectMessageIsRefused() {
        assertThatThrownBy(() -> InstanceSettings.DEFAULTS.with(new InstanceSettings.Patch(null, "x".repeat(1001),
                null, null, null, null, null))).isInstanceOf(ValidationException.class);
    }
}
