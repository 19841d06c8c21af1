package dev.weft.events.outbox;

import com.zaxxer.hikari.HikariDataSource;

import dev.weft.events.TestDatabases;
import dev.weft.events.jdbc.EventTables;

/** The outbox on H2: the two-statement claim. */
class OutboxRelayH2Test extends OutboxRelayContract {
    @Override
    HikariDataSource open() {
        return TestDatabases.h2();
    }

    @Override
    EventTables tables() {
        return EventTables.defaults();
    }
}
