/** The composition root: configuration, the embedded PostgreSQL default, Dagger wiring and Main. */
module ponte.bootstrap {
    requires ponte.application;
    requires ponte.adapters.persistence;
    requires ponte.adapters.http;
    requires ponte.adapters.whatsapp;
    requires ponte.adapters.delivery;
    requires dagger;
    requires jakarta.inject;
    requires java.sql;
    requires java.net.http; // a standalone sandbox's GET /v1/sandbox/info
    requires com.zaxxer.hikari;
    requires org.postgresql.jdbc;
    requires embedded.postgres; // zonky ships no module name: derived from the jar's file name
    // explicit modules that only zonky (an automatic module) uses are not resolved unless required here (P6)
    requires org.tukaani.xz;
    requires org.apache.commons.compress;
    requires org.apache.commons.io;
    requires org.apache.commons.lang3;
    requires micrometer.core;
    requires micrometer.registry.prometheus;
    requires org.slf4j;
    requires ch.qos.logback.classic; // the SLF4J provider: nothing else requires it, so it would not be resolved
}
