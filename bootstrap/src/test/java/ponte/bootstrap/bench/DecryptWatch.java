package ponte.bootstrap.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import ponte.bootstrap.Http;

/**
 * Sees when sandbox phones decrypted the messages a benchmark sent them, by polling
 * {@code GET /v1/sandbox/phones/{phone}/messages}: each round asks only the phones that still owe a message, so a
 * round stays short (a latency is late by up to one round) and the polls leave the CPU to what is measured.
 *
 * <p>A poll the gateway refuses is a {@link Refused} failure, never an empty inbox: an admin token polling at this
 * rate runs into {@code PONTE_RATE_LIMIT_REQUESTS} (1,200 a minute by default), and the 429s, read as "not yet
 * decrypted", once made every message after the first ~1,200 polls look ~50 s late (until the limiter's one-minute
 * window reset).
 */
final class DecryptWatch {
    private final Http http;
    private final String adminToken;
    /** Per phone: the messages sent to it whose decrypt was not seen yet (counted before the send call). */
    private final Map<String, AtomicInteger> owed = new ConcurrentHashMap<>();
    private final Map<String, String> expected = new ConcurrentHashMap<>();
    private final Map<String, Long> arrived = new ConcurrentHashMap<>();
    private long rounds;
    private long roundNanos;

    DecryptWatch(Http http, String adminToken) {
        this.http = http;
        this.adminToken = adminToken;
    }

    /** A message to {@code phone} is about to be sent: its phone is polled until it is seen. */
    void expect(String phone) {
        owed.computeIfAbsent(phone, p -> new AtomicInteger()).incrementAndGet();
    }

    /** The send of a message {@link #expect expected} for {@code phone} answered with its id. */
    void sent(String phone, String id) {
        expected.put(id, phone);
    }

    /**
     * One round: polls each phone that is owed a message; a message seen for the first time is stamped with the
     * {@link System#nanoTime} after its poll. Returns how many were newly seen.
     *
     * @throws Refused when the gateway answered a poll with anything but 200
     */
    int poll() {
        long start = System.nanoTime();
        int seen = 0;
        List<String> due = new ArrayList<>();
        owed.forEach((phone, count) -> {
            if (count.get() > 0) {
                due.add(phone);
            }
        });
        for (String phone : due) {
            var answer = http.get("/v1/sandbox/phones/" + phone + "/messages", adminToken);
            long now = System.nanoTime();
            if (answer.status() != 200) {
                throw new Refused("polling +" + phone + "'s decrypted messages: " + answer.status() + " "
                        + answer.body());
            }
            for (var message : answer.json().path("messages")) {
                String id = message.path("id").asText();
                if (phone.equals(expected.get(id)) && arrived.putIfAbsent(id, now) == null) {
                    owed.get(phone).decrementAndGet();
                    seen++;
                }
            }
        }
        rounds++;
        roundNanos += System.nanoTime() - start;
        return seen;
    }

    /** When each message was first seen decrypted ({@link System#nanoTime}), by id. */
    Map<String, Long> arrived() {
        return arrived;
    }

    /** The mean length of a polling round, in milliseconds; NaN before the first. */
    double meanRoundMillis() {
        return rounds == 0 ? Double.NaN : roundNanos / 1e6 / rounds;
    }

    /** The gateway refused a poll: the figures would be wrong, so the run stops. */
    static final class Refused extends RuntimeException {
        Refused(String message) {
            super(message);
        }
    }
}
