/**
 * Messaging, as the API speaks of it. A send: {@link ponte.domain.message.OutgoingMessage#text} validates the
 * request (→ 400 with every problem), the application resolves its {@link ponte.domain.message.Recipient} with the
 * server, fixes the id with {@link ponte.domain.message.MessageId#generate} and queues it as
 * {@link ponte.domain.message.OutgoingStatus#queued}; acks and receipts move that status machine, each step a
 * {@link ponte.domain.message.MessageStatusChanged} ({@code message.status}). Every message sent or received is a
 * {@link ponte.domain.message.Message}, announced once as {@link ponte.domain.message.MessageExchanged}
 * ({@code message.exchange}). Addresses are {@link ponte.domain.message.Jid}s.
 */
package ponte.domain.message;
