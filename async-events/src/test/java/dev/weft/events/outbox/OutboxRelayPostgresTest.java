package dev.weft.events.outbox;

import org.junit.jupiter.api.BeforeAll;

import com.zaxxer.hikari.HikariDataSource;

import dev.weft.events.TestDatabases;
import dev.weft.events.jdbc.EventTables;
import dev.weft.testkit.Services;

/** The outbox on the real PostgreSQL: the one-statement claim with UPDATE ... RETURNING, tables with a suffix. */
class OutboxRelayPostgresTest extends OutboxRelayContract {
    @BeforeAll
    static void services() {
        Services.requirePostgres();
    }

    @Override
    HikariDataSource open() {
        return TestDatabases.postgres();
    }

    @Override
    EventTables tables() {
        return EventTables.suffixed(TestDatabases.suffix());
    }
}
