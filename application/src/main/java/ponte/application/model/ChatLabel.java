package ponte.application.model;

/**
 * A label (business accounts) the phone put on a chat, as app-state sync last told it: its id, name and WhatsApp
 * colour index (0-19).
 */
public record ChatLabel(String id, String name, int color) {}
