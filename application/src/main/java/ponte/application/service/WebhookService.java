package ponte.application.service;

import java.time.Clock;
import java.util.List;
import java.util.Map;
import ponte.application.error.ConflictException;
import ponte.application.error.NotFoundException;
import ponte.application.port.in.ConfigureWebhooksUseCase;
import ponte.application.port.out.DeliveryQueue;
import ponte.application.port.out.IdGenerator;
import ponte.application.port.out.SecretCipher;
import ponte.application.port.out.SecretGenerator;
import ponte.application.port.out.Transactions;
import ponte.application.port.out.WebhookStore;
import ponte.application.port.out.WebhookStore.StoredWebhook;
import ponte.domain.auth.Principal;
import ponte.domain.event.EventFilter;
import ponte.domain.instance.Instance;
import ponte.domain.validation.ValidationException;
import ponte.domain.egress.EgressPolicy;
import ponte.domain.webhook.WebhookLabel;
import ponte.domain.webhook.WebhookSubscription;

final class WebhookService implements ConfigureWebhooksUseCase {
    private static final String SECRET_PREFIX = "whsec_";

    private final WebhookStore webhooks;
    private final DeliveryQueue queue;
    private final InstanceAccess access;
    private final Transactions transactions;
    private final IdGenerator ids;
    private final SecretGenerator secrets;
    private final SecretCipher cipher;
    private final EgressPolicy targets;
    private final Clock clock;

    WebhookService(WebhookStore webhooks, DeliveryQueue queue, InstanceAccess access, Transactions transactions,
                   IdGenerator ids, SecretGenerator secrets, SecretCipher cipher, EgressPolicy targets, Clock clock) {
        this.webhooks = webhooks;
        this.queue = queue;
        this.access = access;
        this.transactions = transactions;
        this.ids = ids;
        this.secrets = secrets;
        this.cipher = cipher;
        this.targets = targets;
        this.clock = clock;
    }

    @Override
    public WebhookResult create(Principal caller, String instance, WebhookCommand command) {
        if (command.label() == null) {
            throw ValidationException.of("label", "is required");
        }
        return transactions.inTransaction(() -> {
            var target = access.resolve(caller, instance);
            webhooks.lockInstance(target.id());
            if (webhooks.find(target.id(), command.label().value()).isPresent()) {
                throw new ConflictException("the instance already has a webhook labelled '" + command.label() + "'");
            }
            return save(target, command.label(), command, null);
        });
    }

    @Override
    public WebhookResult replace(Principal caller, String instance, String label, WebhookCommand command) {
        var pathLabel = new WebhookLabel(label);
        if (command.label() != null && !command.label().equals(pathLabel)) {
            throw ValidationException.of("label", "must match the label in the path, or be left out");
        }
        return transactions.inTransaction(() -> {
            var target = access.resolve(caller, instance);
            webhooks.lockInstance(target.id());
            return save(target, pathLabel, command, webhooks.find(target.id(), label).orElse(null));
        });
    }

    @Override
    public void delete(Principal caller, String instance, String label) {
        transactions.run(() -> {
            var target = access.resolve(caller, instance);
            var webhook = webhooks.find(target.id(), label).orElseThrow(() -> notFound(label));
            // what waited for it fails now, in the log, rather than at its next retry hours later
            queue.failPending(webhook.subscription().id(), "the webhook was deleted", clock.instant());
            webhooks.delete(target.id(), label);
        });
    }

    @Override
    public List<WebhookSubscription> list(Principal caller, String instance) {
        var target = access.resolve(caller, instance);
        return webhooks.list(target.id()).stream().map(StoredWebhook::subscription).toList();
    }

    @Override
    public WebhookSubscription get(Principal caller, String instance, String label) {
        var target = access.resolve(caller, instance);
        return webhooks.find(target.id(), label).map(StoredWebhook::subscription).orElseThrow(() -> notFound(label));
    }

    private WebhookResult save(Instance instance, WebhookLabel label, WebhookCommand command, StoredWebhook existing) {
        var before = existing == null ? null : existing.subscription();
        var url = targets.parse("url", command.url() != null ? command.url()
                : before == null ? null : before.url().toString());
        var enabled = command.enabled() != null ? command.enabled() : before == null || before.enabled();
        if (enabled) {
            long others = webhooks.list(instance.id()).stream().map(StoredWebhook::subscription)
                    .filter(WebhookSubscription::enabled).filter(w -> !w.label().equals(label)).count();
            if (others >= WebhookSubscription.MAX_ENABLED_PER_INSTANCE) {
                throw ValidationException.of("enabled", "an instance has at most "
                        + WebhookSubscription.MAX_ENABLED_PER_INSTANCE
                        + " enabled webhooks; disable or delete one first");
            }
        }
        String generated = null;
        byte[] sealedSecret;
        if (command.secret() != null) {
            sealedSecret = cipher.seal(command.secret());
        } else if (existing != null) {
            sealedSecret = existing.sealedSecret();
        } else {
            generated = secrets.next(SECRET_PREFIX, 32);
            sealedSecret = cipher.seal(generated);
        }
        byte[] sealedAuthorization;
        if (command.authorization() == null) {
            sealedAuthorization = existing == null ? null : existing.sealedAuthorization();
        } else {
            sealedAuthorization = command.authorization().isEmpty() ? null : cipher.seal(command.authorization());
        }
        var now = clock.instant();
        var subscription = new WebhookSubscription(existing == null ? ids.newId() : existing.subscription().id(),
                instance.tenantId(), instance.id(), label, url, enabled,
                command.events() != null ? command.events() : before == null ? EventFilter.ALL : before.events(),
                pick(command.byEvents(), before != null && before.byEvents()),
                pick(command.mediaBase64(), before != null && before.mediaBase64()),
                command.headers() != null ? command.headers() : before == null ? Map.of() : before.headers(),
                sealedAuthorization != null,
                existing == null ? now : existing.subscription().createdAt(), now);
        var stored = new StoredWebhook(subscription, sealedSecret, sealedAuthorization);
        if (existing == null) {
            webhooks.insert(stored);
        } else {
            webhooks.update(stored);
        }
        return new WebhookResult(subscription, generated);
    }

    private static NotFoundException notFound(String label) {
        return new NotFoundException("webhook '" + label + "' not found");
    }

    private static boolean pick(Boolean sent, boolean current) {
        return sent != null ? sent : current;
    }
}
