package dev.weft.events.idempotency;

import java.sql.Connection;

import dev.weft.events.Envelope;

/**
 * A handler whose effects are database writes through {@code tx}: they commit together with the record that the
 * event was processed, or not at all. Do not commit, roll back or close {@code tx}.
 */
@FunctionalInterface
public interface TransactionalEventHandler {
    void handle(Envelope event, Connection tx) throws Exception;
}
