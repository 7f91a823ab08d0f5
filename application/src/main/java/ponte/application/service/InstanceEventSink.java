package ponte.application.service;

import ponte.domain.instance.Instance;
import ponte.domain.instance.InstanceEvent;

/** Where instance events go: into the event outbox, in the caller's transaction. */
@FunctionalInterface
interface InstanceEventSink {
    void append(Instance instance, InstanceEvent event);
}
