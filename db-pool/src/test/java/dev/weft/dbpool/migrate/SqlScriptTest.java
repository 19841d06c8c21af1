package dev.weft.dbpool.migrate;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;

import org.junit.jupiter.api.Test;

class SqlScriptTest {

    @Test
    void splitsOnlyAtStatementEndingSemicolons() {
        String sql = """
                -- a comment; not a statement
                CREATE TABLE t (id INT, note VARCHAR(20) DEFAULT 'a;b');
                /* block; comment */
                INSERT INTO "odd;name" VALUES (1, 'it''s; fine');
                CREATE FUNCTION f() RETURNS INT AS $$ BEGIN RETURN 1; END; $$ LANGUAGE plpgsql;
                DO $body$ BEGIN PERFORM 1; END $body$;
                SELECT 1""";
        List<String> statements = SqlScript.statements(sql);
        assertEquals(5, statements.size(), statements::toString);
        assertEquals("-- a comment; not a statement\nCREATE TABLE t (id INT, note VARCHAR(20) DEFAULT 'a;b')",
                statements.get(0));
        assertEquals("/* block; comment */\nINSERT INTO \"odd;name\" VALUES (1, 'it''s; fine')", statements.get(1));
        assertEquals("CREATE FUNCTION f() RETURNS INT AS $$ BEGIN RETURN 1; END; $$ LANGUAGE plpgsql",
                statements.get(2));
        assertEquals("DO $body$ BEGIN PERFORM 1; END $body$", statements.get(3));
        assertEquals("SELECT 1", statements.get(4));
    }

    @Test
    void dropsSegmentsWithoutCode() {
        assertEquals(List.of(), SqlScript.statements("  ;\n-- only a comment\n; /* x */ ;"));
        assertEquals(List.of("SELECT $1"), SqlScript.statements("SELECT $1;"));
    }
}
