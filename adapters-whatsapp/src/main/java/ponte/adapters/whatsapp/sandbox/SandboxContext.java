package ponte.adapters.whatsapp.sandbox;

import java.security.SecureRandom;
import java.time.Clock;
import java.util.Map;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.Function;
import ponte.adapters.whatsapp.crypto.KeyPair;
import ponte.adapters.whatsapp.sandbox.store.SandboxStore;

/**
 * What every connection of one sandbox server shares. {@code online} maps a device JID to its connection;
 * {@code phones} are the accounts that link companions; {@code media} is the media host; {@code replaced} counts
 * the logins that found their device already connected (the older connection is then told {@code replaced}).
 */
record SandboxContext(SandboxStore store, SandboxOptions options, Clock clock, SecureRandom random,
        KeyPair serverStatic, Function<byte[], byte[]> chainIssuer, ScheduledExecutorService timers,
        Map<String, SandboxEndpoint> online, VirtualPhones phones, MediaHost media,
        java.util.concurrent.atomic.AtomicLong replaced) {
}
