package ponte.application.model;

/** A simulated WhatsApp account of the sandbox: its number, the name it shows, and its LID user. */
public record SandboxPhone(String phoneNumber, String pushName, String lid) {}
