module ponte.adapters.whatsapp {
    requires ponte.application;
    requires com.google.protobuf;
    requires it.auties.curve;
    requires org.eclipse.jetty.server;
    requires org.eclipse.jetty.websocket.server;

    // bootstrap builds the sandbox network and the wire client from here; nothing else is visible outside
    //exports ponte.adapters.whatsapp.wiring to ponte.bootstrap;
}
