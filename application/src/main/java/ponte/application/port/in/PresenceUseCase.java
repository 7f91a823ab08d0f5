package ponte.application.port.in;

import ponte.domain.auth.Principal;

/**
 * Presence through the API (API.md "Chats, contacts, store": {@code POST /presence {to?, state}}):
 * <ul>
 *   <li>without {@code to}, {@code available} or {@code unavailable} is our own presence (with the push name); it
 *       holds until the next connect or change of {@code always_online}, which set it again (available with
 *       {@code always_online}, unavailable without);</li>
 *   <li>with {@code to}, {@code composing}, {@code recording} or {@code paused} is a chat state to that chat, and
 *       {@code available} subscribes to that person's presence (it then shows in {@code GET /contacts/{jid}}); a
 *       chat state to a person subscribes as well.</li>
 * </ul>
 */
public interface PresenceUseCase {

    /**
     * Sends the presence or chat state.
     *
     * @throws ponte.domain.validation.ValidationException an unknown {@code state}, a chat state without {@code to},
     *                                                     {@code unavailable} with {@code to}, a malformed {@code to}
     * @throws ponte.application.error.NotConnectedException the instance is not online
     */
    void send(Principal caller, String idOrName, String to, String state);
}
