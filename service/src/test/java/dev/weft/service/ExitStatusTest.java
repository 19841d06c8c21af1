package dev.weft.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Bad input stops a service before it binds, with exit status 2 and every problem listed with its origin: a YAML
 * syntax error, an unknown key in a module's section, a wrong type or unit, a required value missing.
 */
class ExitStatusTest {
    @TempDir
    Path dir;

    record Case(String name, String yaml, String env, String expected) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Case> cases() {
        return Stream.of(
                new Case("YAML syntax error", "server:\n  port: [1, 2\n", null, "weft.yaml:3:1: expected ',' or ']'"),
                new Case("unknown key in the db section", "db:\n  url: jdbc:h2:mem:x\n  maxPoolSize: 4\n", null,
                        "db.maxPoolSize: unknown setting (weft.yaml:3:3); known settings: url,"),
                new Case("unknown key in the cache section", "cache:\n  mode: local\n  redsi: {}\n", null,
                        "cache.redsi: unknown section (weft.yaml:3:3); known settings: mode, redis, caches"),
                new Case("unknown key in the events section", "db: {url: 'jdbc:h2:mem:x'}\nevents:\n  prefetch: 1\n",
                        null, "events.prefetch: unknown setting (weft.yaml:3:3); known settings: mode,"),
                new Case("unknown key in the server section", "server:\n  prot: 1\n", null,
                        "server.prot: unknown setting (weft.yaml:2:3); known settings: host, port,"),
                new Case("wrong type", "server:\n  accessLog: yes\n", null,
                        "server.accessLog: must be true or false, was \"yes\" (weft.yaml:2:3)"),
                new Case("wrong unit", "db:\n  url: jdbc:h2:mem:x\n  connectionTimeout: 10 days\n", null,
                        "db.connectionTimeout: unknown unit \" days\""),
                new Case("a required value missing", "db:\n  username: sa\n", null, "db.url: must be set"),
                new Case("a bad environment variable", "", "WEFT_SERVER_IDLE_TIMEOUT=-1s",
                        "server.idleTimeout: must be positive, was -1s (from WEFT_SERVER_IDLE_TIMEOUT)"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void stopsBeforeBindingWithStatus2AndTheProblem(Case c) throws Exception {
        Path file = dir.resolve("weft.yaml");
        Files.writeString(file, c.yaml());
        Path output = dir.resolve("out.log");
        String java = ProcessHandle.current().info().command().orElse("java");
        ProcessBuilder pb = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
                ProbeMain.class.getName(), "--config", file.toString())
                .redirectErrorStream(true).redirectOutput(output.toFile());
        pb.environment().keySet().removeIf(k -> k.startsWith("WEFT_") || k.equals("PORT"));
        pb.environment().put("PORT", "0");
        if (c.env() != null) {
            String[] kv = c.env().split("=", 2);
            pb.environment().put(kv[0], kv[1]);
        }
        Process p = pb.start();
        try {
            assertTrue(p.waitFor(60, TimeUnit.SECONDS), "the process exited");
            String out = Files.readString(output, StandardCharsets.UTF_8).replace(file.toString(), "weft.yaml");
            assertEquals(2, p.exitValue(), out);
            assertTrue(out.startsWith("probe: invalid configuration ("), out);
            assertTrue(out.contains(c.expected()), out);
            assertFalse(out.contains("listening"), "nothing was bound:\n" + out);
        } finally {
            p.destroyForcibly();
        }
    }
}
