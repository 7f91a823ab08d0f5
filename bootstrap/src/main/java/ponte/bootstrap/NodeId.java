package ponte.bootstrap;

import java.util.UUID;

/** This process among the gateway nodes sharing a database: tags its NOTIFYs so it can skip its own. */
record NodeId(UUID value) {}
