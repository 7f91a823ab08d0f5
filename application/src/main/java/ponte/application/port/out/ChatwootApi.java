package ponte.application.port.out;

import java.io.InputStream;
import java.util.Optional;

/**
 * The calls Chatwoot's application API answers ({@code /api/v1/accounts/{account_id}/...}, header
 * {@code api_access_token}; shapes in Chatwoot's {@code application_swagger.json}) that the mirror of an instance's
 * conversations needs. Every method throws {@link Failure} when Chatwoot cannot be reached or refuses.
 */
public interface ChatwootApi {
    /** The first contact whose phone number or identifier equals {@code phoneOrIdentifier} ({@code contacts/search}). */
    Optional<Long> findContact(Account account, String phoneOrIdentifier);

    /** Creates a contact in the inbox; {@code phoneE164} ({@code +digits}) may be null (a contact known by LID only). */
    long createContact(Account account, long inboxId, String name, String phoneE164, String identifier);

    /** A conversation's status ({@code open}, {@code resolved}, {@code pending}, {@code snoozed}); empty on 404. */
    Optional<String> conversationStatus(Account account, long conversationId);

    /** Opens a conversation of {@code contactId} in the inbox, with {@code status} open or pending. */
    long createConversation(Account account, long inboxId, long contactId, String sourceId, String status);

    /** {@code toggle_status}: open, pending or resolved. */
    void toggleStatus(Account account, long conversationId, String status);

    /** Creates a message (with its file as an attachment, multipart) and returns its id. */
    long createMessage(Account account, long conversationId, NewMessage message);

    /** The id of the conversation's message whose {@code source_id} is {@code sourceId}, if Chatwoot has one. */
    Optional<Long> findMessage(Account account, long conversationId, String sourceId);

    /** Where and as whom: the installation, the account and the access token (opened only for the call). */
    record Account(String baseUrl, long accountId, String apiToken) {
        @Override
        public String toString() {
            return "Account[" + baseUrl + " #" + accountId + "]";
        }
    }

    /**
     * A message to create. {@code outgoing}: sent by the instance's account (from the phone or the API) rather than
     * by the contact. {@code sourceId}: our id for it, which Chatwoot keeps and reports back. {@code inReplyTo}: the
     * Chatwoot id of the quoted message. {@code attachment} may be null.
     */
    record NewMessage(String content, boolean outgoing, boolean privateNote, String sourceId, Long inReplyTo,
                      Attachment attachment) {}

    /** A file to upload, read from {@code body} (the caller closes it). */
    record Attachment(String fileName, String mimeType, InputStream body) {}

    /** Chatwoot did not take the call: {@code status} is its HTTP status, or null when it was not reached. */
    final class Failure extends RuntimeException {
        private final Integer status;

        public Failure(Integer status, String message) {
            super(message, null, false, false);
            this.status = status;
        }

        public Integer status() {
            return status;
        }
    }
}
