package ponte.bootstrap;

import java.time.Duration;
import ponte.adapters.delivery.egress.Egress;
import ponte.domain.egress.EgressPolicy;

/**
 * The outbound clients of requests made on users' behalf, one per use so each has its own caps, all under the one
 * egress policy ({@code PONTE_EGRESS_ALLOW_PRIVATE}, {@code PONTE_EGRESS_ALLOW_LINK_LOCAL}); closed with the gateway.
 *
 * @param webhooks webhook POSTs: connect within {@code PONTE_WEBHOOK_TIMEOUT_SECONDS}, answers read up to 1 MiB
 * @param media    media {@code url}s and link previews: connect within {@code PONTE_MEDIA_FETCH_CONNECT_SECONDS}
 * @param chatwoot Chatwoot's API: connect within the integration timeout, answers up to 8 MiB
 */
record Egresses(Egress webhooks, Egress media, Egress chatwoot) implements AutoCloseable {
    static final long WEBHOOK_ANSWER_BYTES = 1024 * 1024;
    static final long CHATWOOT_ANSWER_BYTES = 8L * 1024 * 1024;

    static Egresses of(EgressPolicy policy, Duration webhookTimeout, Duration mediaConnectTimeout,
                       Duration integrationTimeout) {
        return new Egresses(new Egress("webhooks", policy, webhookTimeout, WEBHOOK_ANSWER_BYTES),
                new Egress("media", policy, mediaConnectTimeout, WEBHOOK_ANSWER_BYTES),
                new Egress("chatwoot", policy, integrationTimeout, CHATWOOT_ANSWER_BYTES));
    }

    @Override
    public void close() {
        webhooks.close();
        media.close();
        chatwoot.close();
    }
}
