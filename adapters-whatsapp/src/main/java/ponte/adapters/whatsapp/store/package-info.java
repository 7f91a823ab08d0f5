/**
 * What a companion device remembers, behind narrow interfaces, one per concern. Every operation takes the device
 * id first because every table's key starts with it. Nothing here knows the client that uses it.
 *
 * <p>The Signal state is the one concern written in units of work ({@link
 * ponte.adapters.whatsapp.store.SignalTransaction}): a ratchet step is committed together with the decrypted
 * message it produced, before the ingest and the ack; its Javadoc gives the reasoning and the crash cases.
 */
package ponte.adapters.whatsapp.store;
