package dev.weft.ops.run;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.weft.ops.gc.GcLog;
import dev.weft.ops.gc.GcLogParser;

/**
 * One load run's folder, as {@code load-tests/bin/run-load} leaves it:
 * <ul>
 *   <li>{@code run.properties}: what was run (simulation, rate, durations, target, profile, JVM flags, settings);</li>
 *   <li>{@code results.json}: what Gatling measured (written by {@code dev.weft.loadtests.GatlingResults});</li>
 *   <li>{@code metrics/EPOCH_MILLIS.prom}: the service's {@code /metrics}, polled every second;</li>
 *   <li>{@code service/gc.log}: the service's GC log, when run-load started it through weft-launch.</li>
 * </ul>
 * Only {@code results.json} is required; a chart whose source is absent says so.
 *
 * @param dir        the folder
 * @param properties run.properties (empty when absent)
 * @param results    results.json
 * @param metrics    the polled scrapes ({@link Metrics#NONE} when none)
 * @param gc         the GC log, or null
 * @param gcProblem  why there is no GC log to show (absent, or unreadable and why); empty when there is one
 */
public record Run(Path dir, Properties properties, JsonNode results, Metrics metrics, GcLog gc, String gcProblem) {

    /**
     * Reads a run folder.
     *
     * @throws IOException naming the folder and what is missing or unreadable
     */
    public static Run read(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            throw new IOException(dir + ": no such run folder");
        }
        Path resultsFile = dir.resolve("results.json");
        if (!Files.isRegularFile(resultsFile)) {
            throw new IOException(dir + ": no results.json: not a run-load folder, or Gatling wrote no results "
                    + "(see its gatling.log)");
        }
        JsonNode results = new ObjectMapper().readTree(resultsFile.toFile());
        Properties properties = new Properties();
        Path props = dir.resolve("run.properties");
        if (Files.isRegularFile(props)) {
            try (Reader in = Files.newBufferedReader(props)) {
                properties.load(in);
            }
        }
        Metrics metrics = Metrics.read(dir.resolve("metrics"));
        GcLog gc = null;
        String gcProblem = "";
        Path gcLog = dir.resolve("service").resolve("gc.log");
        if (Files.isRegularFile(gcLog)) {
            try {
                gc = GcLogParser.parse(List.of(gcLog));
            } catch (IllegalArgumentException e) {
                gcProblem = "The GC log could not be read: " + e.getMessage();
            }
        } else {
            gcProblem = "No GC log: run-load keeps one (service/gc.log) when it starts the service itself (--jar).";
        }
        return new Run(dir, properties, results, metrics, gc, gcProblem);
    }

    /** The run's name: run.properties' {@code name}, else the folder's name. */
    public String label() {
        return properties.getProperty("name", dir.toAbsolutePath().normalize().getFileName().toString());
    }

    /** A run.properties value, or {@code fallback}. */
    public String property(String key, String fallback) {
        String v = properties.getProperty(key, "");
        return v.isBlank() ? fallback : v;
    }

    /** When the load started, epoch milliseconds: time zero of every chart over time. */
    public long start() {
        return results.path("start").asLong();
    }

    /** When the measured phase started (after the warm-up), epoch milliseconds. */
    public long measuredStart() {
        return results.path("measuredStart").asLong(start());
    }

    /** When the load ended, epoch milliseconds. */
    public long end() {
        return results.path("end").asLong();
    }

    /** Seconds from the load's start to {@code epochMillis}. */
    public double seconds(long epochMillis) {
        return (epochMillis - start()) / 1000.0;
    }

    /**
     * Length of the measured phase in seconds: run.properties' {@code duration} (the injection's own length), else
     * from the end of the warm-up to the end of the load.
     */
    public double measuredSeconds() {
        try {
            return Double.parseDouble(properties.getProperty("duration", ""));
        } catch (NumberFormatException e) {
            return Math.max(0.001, (end() - measuredStart()) / 1000.0);
        }
    }

    /** The measured requests (warm-up names left out), in Gatling's order. */
    public List<JsonNode> measuredRequests() {
        List<JsonNode> requests = new ArrayList<>();
        for (JsonNode r : results.path("requests")) {
            if (!r.path("warmUp").asBoolean()) {
                requests.add(r);
            }
        }
        return requests;
    }

    /** The measured request of that name, or a missing node. */
    public JsonNode request(String name) {
        for (JsonNode r : measuredRequests()) {
            if (r.path("name").asText().equals(name)) {
                return r;
            }
        }
        return com.fasterxml.jackson.databind.node.MissingNode.getInstance();
    }
}
