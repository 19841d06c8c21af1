package dev.weft.shop.db;

import java.sql.Connection;
import java.util.ArrayList;
import java.util.List;

/**
 * One open database transaction: its connection, and the actions to run once it has committed.
 *
 * <p>Cache invalidations are registered here rather than run inline: invalidating before the commit would let a
 * concurrent reader load the old row back into the cache in the window before the commit.
 */
public final class Tx {
    private final Connection connection;
    private List<Runnable> afterCommit;

    Tx(Connection connection) {
        this.connection = connection;
    }

    public Connection connection() {
        return connection;
    }

    /** Runs {@code action} after this transaction commits; never when it rolls back. */
    public void afterCommit(Runnable action) {
        if (afterCommit == null) {
            afterCommit = new ArrayList<>(2);
        }
        afterCommit.add(action);
    }

    void committed() {
        if (afterCommit != null) {
            afterCommit.forEach(Runnable::run);
        }
    }
}
