package ponte.application.port.in;

import java.util.List;
import java.util.UUID;
import ponte.domain.appstate.AppStateChange;

/**
 * How the WhatsApp engine hands over what app-state sync learnt from the account's own phone (issue 12 §8): saved
 * contact names (for {@code GET /contacts}), chat archive/pin/mute (for {@code GET /chats}) and labels, whose edits
 * and associations are published as {@code label.update} events. Same contract as {@link InboundEventUseCase}: when
 * it returns, everything is committed; when it throws, nothing is, and the engine does not move the collection's
 * version, so the same changes come again.
 */
public interface AppStateUseCase {

    /** Applies the changes in order (a later change of the same thing wins). Unknown instances change nothing. */
    void apply(UUID instanceId, List<AppStateChange> changes);
}
