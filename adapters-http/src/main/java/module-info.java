/** The public HTTP API: Javalin routes, auth, the error envelope, the node's limits, metrics and the OpenAPI document. */
module ponte.adapters.http {
    requires ponte.application;
    requires io.javalin;
    requires com.fasterxml.jackson.databind;
    requires com.fasterxml.jackson.datatype.jsr310;
    requires micrometer.core; // Micrometer's automatic module names have no "io." prefix (P21)
    requires micrometer.registry.prometheus;
    requires org.slf4j;
    requires java.net.http; // the hop to a standalone sandbox (SandboxForwarding)
    requires com.google.zxing;
    requires com.google.zxing.javase;
    requires java.desktop; // zxing renders QR codes through java.awt.image

    exports ponte.adapters.http to ponte.bootstrap;
    // request and response records are read and written by Jackson through reflection (P9)
    opens ponte.adapters.http.dto to com.fasterxml.jackson.databind;
}
