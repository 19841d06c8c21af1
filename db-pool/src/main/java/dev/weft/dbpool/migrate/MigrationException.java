package dev.weft.dbpool.migrate;

import java.sql.SQLException;

/** The migrations cannot be applied: a file is malformed, was changed after it ran, or failed in the database. */
public final class MigrationException extends SQLException {
    public MigrationException(String message) {
        super(message);
    }

    public MigrationException(String message, Throwable cause) {
        super(message, cause);
    }
}
