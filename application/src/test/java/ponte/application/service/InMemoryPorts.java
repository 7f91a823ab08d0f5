package ponte.application.service;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import ponte.application.model.Page;
import ponte.application.model.PageRequest;
import ponte.application.port.out.InstanceStore;
import ponte.application.port.out.ProxyStore;
import ponte.application.port.out.SecretCipher;
import ponte.application.port.out.SessionDirectory;
import ponte.application.port.out.Transactions;
import ponte.application.port.out.WhatsAppSessionPort;
import ponte.domain.instance.Instance;

/** In-memory stand-ins for the out-ports the configuration services use. */
final class InMemoryPorts {
    private InMemoryPorts() {}

    static final class Instances implements InstanceStore, SessionDirectory {
        // the session scenarios report from another thread, as the engine does
        final Map<UUID, Instance> byId = java.util.Collections.synchronizedMap(new LinkedHashMap<>());

        /** A snapshot, in insertion order, safe to stream while another thread writes. */
        List<Instance> values() {
            synchronized (byId) {
                return List.copyOf(byId.values());
            }
        }

        @Override
        public void insert(Instance instance) {
            byId.put(instance.id(), instance);
        }

        @Override
        public void update(Instance instance) {
            byId.put(instance.id(), instance);
        }

        @Override
        public Optional<Instance> find(UUID tenantId, UUID id) {
            return Optional.ofNullable(byId.get(id)).filter(i -> i.tenantId().equals(tenantId));
        }

        @Override
        public Optional<Instance> findByName(UUID tenantId, String name) {
            return values().stream().filter(i -> i.tenantId().equals(tenantId))
                    .filter(i -> i.name().value().equals(name)).findFirst();
        }

        @Override
        public Optional<Instance> findLive(UUID id) {
            return Optional.ofNullable(byId.get(id));
        }

        @Override
        public java.util.List<Instance> listLinked() {
            return values().stream().filter(Instance::hasPaired).toList();
        }

        @Override
        public java.util.List<Instance> listActive() {
            return values().stream().filter(i -> switch (i.status()) {
                case QR, CONNECTING, CONNECTED -> true;
                default -> false;
            }).toList();
        }

        @Override
        public java.util.List<UUID> liveIds(UUID tenantId) {
            return values().stream().filter(i -> i.tenantId().equals(tenantId)).map(Instance::id).toList();
        }

        @Override
        public java.util.List<Instance> listLinked(UUID tenantId) {
            return values().stream().filter(i -> i.tenantId().equals(tenantId) && i.hasPaired()).toList();
        }

        @Override
        public Page<Instance> list(UUID tenantId, String nameFilter, PageRequest page) {
            return new Page<>(values().stream().filter(i -> i.tenantId().equals(tenantId)).toList(), null);
        }

        @Override
        public int countLive(UUID tenantId) {
            return list(tenantId, null, PageRequest.first()).items().size();
        }

        @Override
        public void softDelete(UUID id, Instant at) {
            byId.remove(id);
        }

        @Override
        public void softDeleteAllOfTenant(UUID tenantId, Instant at) {
            synchronized (byId) {
                byId.values().removeIf(i -> i.tenantId().equals(tenantId));
            }
        }
    }

    static final class Proxies implements ProxyStore {
        final Map<UUID, SealedProxy> tenants = new ConcurrentHashMap<>();
        final Map<UUID, SealedProxy> overrides = new LinkedHashMap<>();
        private final Instances instances;

        Proxies(Instances instances) {
            this.instances = instances;
        }

        @Override
        public Optional<SealedProxy> tenantProxy(UUID tenantId) {
            return Optional.ofNullable(tenants.get(tenantId));
        }

        @Override
        public void saveTenantProxy(UUID tenantId, SealedProxy proxy) {
            tenants.put(tenantId, proxy);
        }

        @Override
        public void deleteTenantProxy(UUID tenantId) {
            tenants.remove(tenantId);
        }

        @Override
        public Optional<SealedProxy> instanceProxy(UUID tenantId, UUID instanceId) {
            return Optional.ofNullable(overrides.get(instanceId));
        }

        @Override
        public void saveInstanceProxy(UUID tenantId, UUID instanceId, SealedProxy proxy) {
            overrides.put(instanceId, proxy);
        }

        @Override
        public void deleteInstanceProxy(UUID tenantId, UUID instanceId) {
            overrides.remove(instanceId);
        }

        @Override
        public List<InstanceOverride> overrides(UUID tenantId) {
            return instances.values().stream().filter(i -> i.tenantId().equals(tenantId))
                    .filter(i -> overrides.containsKey(i.id()))
                    .map(i -> new InstanceOverride(i.id(), i.name().value(), overrides.get(i.id()))).toList();
        }

        @Override
        public List<UUID> liveInstances(UUID tenantId) {
            return instances.values().stream().filter(i -> i.tenantId().equals(tenantId)).map(Instance::id)
                    .toList();
        }
    }

    /** Not a cipher: it only proves the services never hand a store the plaintext. */
    static final class ReversingCipher implements SecretCipher {
        @Override
        public byte[] seal(byte[] plaintext) {
            return reverse(plaintext);
        }

        @Override
        public byte[] open(byte[] sealed) {
            return reverse(sealed);
        }

        private static byte[] reverse(byte[] in) {
            var out = new byte[in.length];
            for (int i = 0; i < in.length; i++) {
                out[i] = in[in.length - 1 - i];
            }
            return out;
        }
    }

    static final class DirectTransactions implements Transactions {
        @Override
        public <T> T inTransaction(Supplier<T> work) {
            return work.get();
        }

        @Override
        public void afterCommit(Runnable action) {
            action.run();
        }
    }

    /**
     * Sessions that are online (or running but retrying, offline) when a test says so, recording every reconnect
     * asked for and the proxy it was given.
     */
    static final class Sessions implements WhatsAppSessionPort {
        final Set<UUID> online = ConcurrentHashMap.newKeySet();
        final Set<UUID> retrying = ConcurrentHashMap.newKeySet();
        final List<ponte.domain.proxy.EffectiveProxy> reconnectProxies = new ArrayList<>();
        final List<UUID> reconnected = new ArrayList<>();
        Reconnect outcome = Reconnect.CONNECTED;

        @Override
        public boolean isOnline(UUID instanceId) {
            return online.contains(instanceId);
        }

        @Override
        public boolean isRunning(UUID instanceId) {
            return online.contains(instanceId) || retrying.contains(instanceId);
        }

        @Override
        public synchronized Reconnect reconnect(UUID instanceId, ponte.domain.proxy.EffectiveProxy proxy) {
            reconnected.add(instanceId);
            reconnectProxies.add(proxy);
            return outcome;
        }
    }

    /** A background that runs nothing until the test says so. */
    static final class HeldBackground implements java.util.concurrent.Executor {
        final List<Runnable> queued = new ArrayList<>();

        @Override
        public void execute(Runnable task) {
            queued.add(task);
        }

        void runAll() {
            var tasks = List.copyOf(queued);
            queued.clear();
            tasks.forEach(Runnable::run);
        }
    }

    /** Instance signals as the gateway's: a counter per instance that each change raises, and waiters on it. */
    static final class Signals implements ponte.application.port.out.InstanceSignals {
        private final Map<UUID, Long> versions = new java.util.HashMap<>();

        synchronized void signal(UUID instanceId) {
            versions.merge(instanceId, 1L, Long::sum);
            notifyAll();
        }

        @Override
        public synchronized long version(UUID instanceId) {
            return versions.getOrDefault(instanceId, 0L);
        }

        @Override
        public synchronized long awaitAfter(UUID instanceId, long seen, java.time.Duration wait)
                throws InterruptedException {
            long deadline = System.nanoTime() + wait.toNanos();
            while (version(instanceId) <= seen) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    break;
                }
                java.util.concurrent.TimeUnit.NANOSECONDS.timedWait(this, left);
            }
            return version(instanceId);
        }
    }
}
