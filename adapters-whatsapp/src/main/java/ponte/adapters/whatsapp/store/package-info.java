/**
 * What a companion device remembers, behind narrow interfaces, one per concern. Every operation takes the device
 * id first because every table's key starts with it. Nothing here knows the client that uses it.
 */
package ponte.adapters.whatsapp.store;
