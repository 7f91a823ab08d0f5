/** Use cases and the ports they need; depends on the domain only. */
module ponte.application {
    requires transitive ponte.domain;

    exports ponte.application.error;
    // the values both sides of the core speak (pages, QR codes, deliveries): neither an in- nor an out-port
    exports ponte.application.model;
    exports ponte.application.port.in;
    exports ponte.application.port.out;
    // the one public factory of the package-private services: only the composition root builds them
    exports ponte.application.service to ponte.bootstrap;
}
