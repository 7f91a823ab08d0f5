package ponte.domain.integration;

import ponte.domain.validation.Violations;

/**
 * Where an instance's conversations are mirrored in Chatwoot, without the API token (a secret the application
 * seals and keeps apart).
 */
public record ChatwootConfig(
        boolean enabled,
        String baseUrl,
        long accountId,
        String inboxName,
        boolean signMessages,
        boolean ignoreGroups,
        boolean conversationPending,
        boolean reopenResolved) {
    public static final int MAX_INBOX_NAME = 255;

    public ChatwootConfig {
        new Violations()
                .check(HttpUrls.isHttpUrl(baseUrl == null ? null : baseUrl.strip()), "base_url",
                        "must be the http(s) URL of the Chatwoot installation, like https://chatwoot.example.com")
                .check(accountId >= 1, "account_id", "must be the numeric id of the Chatwoot account (1 or more)")
                .check(inboxName != null && !inboxName.isBlank(), "inbox_name", "is required")
                .check(inboxName == null || inboxName.strip().length() <= MAX_INBOX_NAME, "inbox_name",
                        "must be at most 255 characters")
                .throwIfAny();
        baseUrl = HttpUrls.withoutTrailingSlash(baseUrl);
        inboxName = inboxName.strip();
    }

    /**
     * A partial update, as every configuration PUT is: absent (null) fields keep the stored value, or take their
     * default when nothing is stored yet ({@code enabled} true, the flags false); the result is validated whole.
     */
    public record Patch(Boolean enabled, String baseUrl, Long accountId, String inboxName, Boolean signMessages,
                        Boolean ignoreGroups, Boolean conversationPending, Boolean reopenResolved) {
        /** {@code current} is null when the instance has no configuration yet. */
        public ChatwootConfig applyTo(ChatwootConfig current) {
            return new ChatwootConfig(
                    pick(enabled, current == null || current.enabled()),
                    baseUrl != null ? baseUrl : current == null ? null : current.baseUrl(),
                    accountId != null ? accountId : current == null ? 0 : current.accountId(),
                    inboxName != null ? inboxName : current == null ? null : current.inboxName(),
                    pick(signMessages, current != null && current.signMessages()),
                    pick(ignoreGroups, current != null && current.ignoreGroups()),
                    pick(conversationPending, current != null && current.conversationPending()),
                    pick(reopenResolved, current != null && current.reopenResolved()));
        }

        private static boolean pick(Boolean changed, boolean current) {
            return changed != null ? changed : current;
        }
    }
}
