package dev.weft.service;

import java.util.List;

import org.slf4j.LoggerFactory;

import dev.weft.dbpool.DbPool;
import dev.weft.dbpool.migrate.Migrations;
import dev.weft.events.jdbc.EventMigrations;
import dev.weft.events.service.Events;
import dev.weft.events.service.EventsConfig;
import dev.weft.http.ServeMux;

/**
 * {@code events:} creates the event tables with the service's Flyway (their own location and history table), opens
 * the transport and starts the outbox relay; readiness checks RabbitMQ in RabbitMQ mode. Opened after the database.
 */
final class EventsModule implements StartableModule {
    private final EventsConfig config;
    private Events events;

    EventsModule(EventsConfig config) {
        this.config = config;
    }

    @Override
    public void open(Modules modules, ServeMux mux) throws Exception {
        DbPool db = modules.db();
        EventMigrations tables = config.outbox().tables().migrations();
        db.migrate(new Migrations(List.of(tables.location()), tables.historyTable(), tables.placeholders()));
        events = Events.open(config, db.dataSource(), modules.registry());
        if (config.mode() == EventsConfig.Mode.RABBITMQ) {
            modules.health().addCheck("rabbitmq", Weft.CHECK_TIMEOUT, events.healthCheck());
        }
        modules.put(Events.class, events);
        LoggerFactory.getLogger(EventsModule.class).info(
                "events {}, outbox relay running", config.mode().name().toLowerCase(java.util.Locale.ROOT));
    }

    @Override
    public void close() {
        if (events != null) {
            events.close();
        }
    }

    @Override
    public String toString() {
        return "the events";
    }
}
