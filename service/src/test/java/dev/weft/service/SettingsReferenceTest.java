package dev.weft.service;

import java.nio.file.Path;

import org.junit.jupiter.api.Test;

import dev.weft.cache.CachesConfig;
import dev.weft.dbpool.DbPoolConfig;
import dev.weft.events.service.EventsConfig;
import dev.weft.http.ServerConfig;
import dev.weft.testkit.SettingsReference;

/**
 * The README's "Turn a module on" page lists every setting of each section the skeleton reads, with the default
 * the code has, and nothing else. Each section is read with one entry named {@code <name>} in each mapping of named
 * entries and every optional section given, so that every setting is read. The gateway's section is checked by the
 * gateway's own {@code SettingsReferenceTest}, which sees its records.
 */
class SettingsReferenceTest {
    private static final Path README = Path.of("README.md");

    @Test
    void server() {
        SettingsReference.assertDocuments(README, "server", "server:\n", ServerConfig::from);
    }

    @Test
    void db() {
        SettingsReference.assertDocuments(README, "db", """
                db:
                  sizing: {}
                  dataSourceProperties: {"<name>": value}
                """, DbPoolConfig::from);
    }

    @Test
    void cache() {
        SettingsReference.assertDocuments(README, "cache", """
                cache:
                  caches: {"<name>": {}}
                """, CachesConfig::from);
    }

    @Test
    void events() {
        SettingsReference.assertDocuments(README, "events", "events:\n", EventsConfig::from);
    }
}
