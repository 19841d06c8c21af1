package dev.weft.shop.db;

import java.sql.Connection;
import java.sql.SQLException;

import javax.sql.DataSource;

/**
 * Runs units of work against the shop's database: {@link #inTransaction} for writes that must be all or nothing,
 * {@link #read} for a single auto-committed query.
 *
 * <p>Connections come from the pool and go back to it before the method returns, whatever happens; a failed unit of
 * work is rolled back, so nothing half-written is ever visible.
 */
public final class Transactions {
    private final DataSource dataSource;

    public Transactions(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /** A unit of work inside a transaction. */
    @FunctionalInterface
    public interface Work<T> {
        T run(Tx tx) throws SQLException;
    }

    /** A read on an auto-commit connection. */
    @FunctionalInterface
    public interface Read<T> {
        T run(Connection connection) throws SQLException;
    }

    /**
     * Runs {@code work} in one transaction: commits when it returns, rolls back when it throws (and rethrows), then
     * runs the transaction's after-commit actions.
     */
    public <T> T inTransaction(Work<T> work) throws SQLException {
        Tx tx;
        T result;
        try (Connection connection = dataSource.getConnection()) {
            connection.setAutoCommit(false);
            tx = new Tx(connection);
            try {
                result = work.run(tx);
                connection.commit();
            } catch (Throwable failure) {
                try {
                    connection.rollback();
                } catch (SQLException rollbackFailure) {
                    failure.addSuppressed(rollbackFailure);
                }
                throw failure;
            }
        }
        tx.committed();
        return result;
    }

    public <T> T read(Read<T> read) throws SQLException {
        try (Connection connection = dataSource.getConnection()) {
            return read.run(connection);
        }
    }
}
