/** The WhatsApp wire client (socket, binary codec, protobuf, connection) and the sandbox network. */
module ponte.adapters.whatsapp {
    requires ponte.application;
    requires java.sql;
    requires jdk.httpserver; // the sandbox's HTTPS media host
    requires com.google.protobuf;
    requires it.auties.curve; // XEdDSA signing only; verification uses the JDK's Ed25519
    requires org.eclipse.jetty.server;
    requires org.eclipse.jetty.util;
    requires org.eclipse.jetty.websocket.core.common;
    requires org.eclipse.jetty.websocket.core.server;
    requires org.jdbi.v3.core;
    requires io.leangen.geantyref; // Jdbi needs it at run time but, as an automatic module, cannot require it (P6)
    requires flyway.core; // name derived from the jar's file name: Flyway ships no module name (P8)

    // bootstrap builds the sandbox network and the session engine from wiring, and holds the engine by the
    // interface it finds in engine; nothing else is visible outside
    exports ponte.adapters.whatsapp.wiring to ponte.bootstrap;
    exports ponte.adapters.whatsapp.engine to ponte.bootstrap;
    opens db.whatsapp; // Flyway reads the sandbox migrations as resources (P7)
    opens db.whatsapp_store; // and the device store's, under their own history
}
