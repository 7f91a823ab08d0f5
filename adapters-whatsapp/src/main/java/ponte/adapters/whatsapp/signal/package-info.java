/**
 * The Signal protocol as WhatsApp runs it, our own implementation (protocol.md §1.12; no PQXDH/Kyber, no SPQR):
 * X3DH and the Double Ratchet for 1:1 ({@code pkmsg}/{@code msg}, version 3), sender keys for groups
 * ({@code skmsg} and the sender-key distribution message), WhatsApp's plaintext padding, and addresses
 * {@code user[_agent].device}. It knows nothing of sockets, nodes or the client; its compatibility is checked
 * against Baileys' libsignal-node in both directions (SignalOracleTest).
 *
 * <p>How the client uses it, per incoming {@code <enc>} or outgoing message:
 * <ul>
 * <li>Receive: {@code SignalAddress.of(senderJid)}; {@code pkmsg}/{@code msg} go to
 * {@link ponte.adapters.whatsapp.signal.SessionCipher#decrypt}, before any {@code skmsg} of the same stanza; a
 * decrypted message's {@code senderKeyDistributionMessage} goes to
 * {@link ponte.adapters.whatsapp.signal.GroupCipher#process} under (group, sender address); then {@code skmsg} to
 * {@link ponte.adapters.whatsapp.signal.GroupCipher#decrypt}; {@code v=2} plaintexts are then
 * {@link ponte.adapters.whatsapp.signal.Padding#unpad unpadded}. A
 * {@link ponte.adapters.whatsapp.signal.SignalException} says whether to drop a redelivery ({@code DUPLICATE}) or
 * ask for a retry; {@link ponte.adapters.whatsapp.signal.Decrypted#identity()} says whether the sender's identity
 * changed (raise the event) and which one-time prekey was consumed (top up).</li>
 * <li>Send: pad, then for each device without a session fetch its bundle and
 * {@link ponte.adapters.whatsapp.signal.SessionCipher#process} it, then
 * {@link ponte.adapters.whatsapp.signal.SessionCipher#encrypt}; a {@code PKMSG} result means the stanza carries
 * {@code <device-identity>}. Groups: {@link ponte.adapters.whatsapp.signal.GroupCipher#distributionMessage} for the
 * devices lacking our key (sent 1:1 inside the message), one
 * {@link ponte.adapters.whatsapp.signal.GroupCipher#encrypt} for all.</li>
 * <li>Identity notifications ({@code encrypt} with {@code <identity>}): the caller drops that user's sessions and
 * identities in its store; the next message re-establishes them.</li>
 * </ul>
 *
 * <p>State lives behind {@link ponte.adapters.whatsapp.signal.SignalStore}, which the caller implements; records are
 * immutable values with a byte form. The ciphers write only after an operation fully succeeded, so a store that
 * writes inside the transaction storing the message (or the outbox row) keeps ratchet steps and messages together.
 */
package ponte.adapters.whatsapp.signal;
