/**
 * What the sandbox's simulated server remembers: its keys, the registrations it saw, its virtual phones, the devices
 * each linked and the keys those devices uploaded. It is the server's side of the network, so nothing here is shared
 * with the companion's own {@code store}: a bug in one cannot hide in the other.
 */
package ponte.adapters.whatsapp.sandbox.store;
