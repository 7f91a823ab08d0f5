package ponte.domain.event;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class EventTypeTest {
    /** GET /v1/events/types shows these descriptions: each must name every subtype API.md lists for the event. */
    @Test
    void theCallDescriptionNamesEverySubtypeIncludingMissed() {
        assertThat(EventType.CALL_UPDATE.description())
                .contains("offer", "accepted", "rejected", "terminated", "missed");
    }

    @Test
    void theStatusAndGroupDescriptionsNameTheirSubtypes() {
        assertThat(EventType.MESSAGE_STATUS.description()).contains("sent", "delivered", "read", "played", "failed");
        assertThat(EventType.GROUP_FLOW.description()).contains("created", "joined", "left", "added", "removed",
                "promoted", "demoted", "subject", "description", "settings");
    }
}
