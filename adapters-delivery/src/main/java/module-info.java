/** Outbound delivery: the webhook dispatcher (java.net.http, HMAC signatures, resilience4j). */
module ponte.adapters.delivery {
    requires ponte.application;
    requires java.net.http;
    requires io.github.resilience4j.circuitbreaker;
    requires io.github.resilience4j.bulkhead;
    requires io.github.resilience4j.core;
    requires org.slf4j;

    exports ponte.adapters.delivery to ponte.bootstrap;
}
