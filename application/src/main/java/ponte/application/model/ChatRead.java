package ponte.application.model;

import ponte.domain.message.Jid;

/** What {@code POST /chats/{jid}/read} did: the chat and how many received messages it marked read. */
public record ChatRead(Jid chat, int marked) {}
