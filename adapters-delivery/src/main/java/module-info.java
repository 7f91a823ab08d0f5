/** Outgoing integrations: the webhook dispatcher (HMAC signatures, resilience4j), Chatwoot and S3 media. */
module ponte.adapters.delivery {
    requires ponte.application;
    requires java.net.http;
    requires com.fasterxml.jackson.databind;
    requires io.github.resilience4j.circuitbreaker;
    requires io.github.resilience4j.bulkhead;
    requires io.github.resilience4j.core;
    requires org.slf4j;
    // the AWS SDK jars are automatic modules: each one whose types we touch must be required (stack.md P5)
    requires software.amazon.awssdk.services.s3;
    requires software.amazon.awssdk.core;
    requires software.amazon.awssdk.regions;
    requires software.amazon.awssdk.auth;
    requires software.amazon.awssdk.identity.spi;
    requires software.amazon.awssdk.http;
    requires software.amazon.awssdk.http.urlconnection;
    requires software.amazon.awssdk.utils;
    requires software.amazon.awssdk.retries.api;
    // media: Tika reads a file's type from its magic numbers, ImageIO (java.desktop) makes picture thumbnails,
    // jsoup reads the pages of link previews
    requires org.apache.tika.core;
    requires java.desktop;
    requires org.jsoup;
    // Egress: the outbound HTTP client, which connects to the addresses the egress policy checked
    requires org.eclipse.jetty.client;
    requires org.eclipse.jetty.http;
    requires org.eclipse.jetty.util;
    // a PDF's page count; PDFBox is an automatic module whose logging, commons-logging, is an explicit one that
    // nothing would resolve at run time unless required here (stack.md P6)
    requires org.apache.pdfbox;
    requires org.apache.pdfbox.io;
    requires org.apache.commons.logging;

    exports ponte.adapters.delivery to ponte.bootstrap;
    exports ponte.adapters.delivery.media to ponte.bootstrap;
    exports ponte.adapters.delivery.egress to ponte.bootstrap;
    exports ponte.adapters.delivery.chatwoot to ponte.bootstrap;
}
