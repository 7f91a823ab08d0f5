package ponte.domain.webhook;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.time.Instant;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import ponte.domain.event.EventFilter;
import ponte.domain.event.EventType;

class WebhookSubscriptionTest {
    @Test
    void byEventsPutsTheEventOnThePathAndKeepsTheQuery() {
        assertThat(webhook("https://crm.example.com/in?key=1", true).targetFor(EventType.CALL_UPDATE))
                .isEqualTo("https://crm.example.com/in/call.update?key=1");
        assertThat(webhook("https://crm.example.com/in/", true).targetFor(EventType.CALL_UPDATE))
                .isEqualTo("https://crm.example.com/in/call.update");
        assertThat(webhook("https://crm.example.com", true).targetFor(EventType.LABEL_UPDATE))
                .isEqualTo("https://crm.example.com/label.update");
        assertThat(webhook("https://crm.example.com/in?key=1", false).targetFor(EventType.CALL_UPDATE))
                .isEqualTo("https://crm.example.com/in?key=1");
    }

    @Test
    void aDisabledWebhookWantsNothingAndAFilterOnlyItsTypes() {
        var filtered = new WebhookSubscription(UUID.randomUUID(), UUID.randomUUID(), UUID.randomUUID(),
                new WebhookLabel("f"), URI.create("http://x/"), true, new EventFilter(Set.of(EventType.CALL_UPDATE)),
                false, false, Map.of(), false, Instant.EPOCH, Instant.EPOCH);
        assertThat(filtered.wants(EventType.CALL_UPDATE)).isTrue();
        assertThat(filtered.wants(EventType.MESSAGE_EXCHANGE)).isFalse();
        var disabled = new WebhookSubscription(filtered.id(), filtered.tenantId(), filtered.instanceId(),
                filtered.label(), filtered.url(), false, EventFilter.ALL, false, false, Map.of(), false,
                Instant.EPOCH, Instant.EPOCH);
        assertThat(disabled.wants(EventType.CALL_UPDATE)).isFalse();
    }

    private static WebhookSubscription webhook(String url, boolean byEvents) {
        return new WebhookSubscription(UUID.randomUUID(), UUID.randomUUID(), UUID.randomUUID(), new WebhookLabel("w"),
                URI.create(url), true, EventFilter.ALL, byEvents, false, Map.of(), false, Instant.EPOCH, Instant.EPOCH);
    }
}
