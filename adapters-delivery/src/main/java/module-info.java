/** Outgoing integrations: webhooks, Chatwoot and S3 media. */
module ponte.adapters.delivery {
    requires ponte.application;
    requires java.net.http;
    requires com.fasterxml.jackson.databind;
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

    exports ponte.adapters.delivery to ponte.bootstrap;
}
