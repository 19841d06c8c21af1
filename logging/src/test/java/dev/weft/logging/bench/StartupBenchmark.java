package dev.weft.logging.bench;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * What logging costs a process at start-up, whole-process and side by side: {@link StartupSample} (find the SLF4J
 * backend, configure it, log one line, exit), in rounds that take each variant in turn, so that the shared machine's
 * noise falls on all alike. Prints each variant's median wall time from exec to exit, and the CPU time the process
 * had used when it had logged (less disturbed by other work on the machine), each also as the difference from a JVM
 * that prints the line without SLF4J.
 *
 * <p>{@code ./weft mvn -q -pl logging -am -Pbench test-compile exec:exec [-Dbench.rounds=21]}
 */
public final class StartupBenchmark {
    private StartupBenchmark() {}

    public static void main(String[] args) throws Exception {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 21;
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> all = Arrays.asList(System.getProperty("java.class.path").split(File.pathSeparator));
        String simple = classPath(all, e -> !e.contains("logback") && !e.contains("logstash")
                && !e.matches(".*logging[/\\\\]target[/\\\\]classes.*"));
        String logback = classPath(all, e -> !e.contains("slf4j-simple"));
        Path xmlDir = Files.createTempDirectory("weft-logback-xml");
        // The text format, as a user's logback.xml would give it: the same appender, read by Joran.
        Files.writeString(xmlDir.resolve("logback.xml"), """
                <configuration>
                  <appender name="weft" class="ch.qos.logback.core.ConsoleAppender">
                    <target>System.err</target>
                    <encoder>
                      <pattern>%d{yyyy-MM-dd'T'HH:mm:ss.SSS'Z', UTC} %-5level %logger%replace( [%X]){' \\[\\]', ''} - %msg%n</pattern>
                    </encoder>
                  </appender>
                  <root level="info"><appender-ref ref="weft"/></root>
                </configuration>
                """);
        // The same file with Logback's fixed layout instead of a pattern: Joran's cost without PatternLayout's.
        Path ttllDir = Files.createTempDirectory("weft-logback-ttll");
        Files.writeString(ttllDir.resolve("logback.xml"), """
                <configuration>
                  <appender name="weft" class="ch.qos.logback.core.ConsoleAppender">
                    <target>System.err</target>
                    <encoder class="ch.qos.logback.core.encoder.LayoutWrappingEncoder">
                      <layout class="ch.qos.logback.classic.layout.TTLLLayout"/>
                    </encoder>
                  </appender>
                  <root level="info"><appender-ref ref="weft"/></root>
                </configuration>
                """);
        Map<String, List<String>> variants = new LinkedHashMap<>();
        variants.put("no SLF4J (System.err)", List.of(java, "-cp", simple, StartupSample.class.getName(),
                "--no-logging"));
        variants.put("slf4j-simple", List.of(java, "-cp", simple, StartupSample.class.getName()));
        // The shop's slf4j-simple configuration had no time on its lines, for start-up; this one has, as Weft's text.
        variants.put("slf4j-simple, time", List.of(java, "-Dorg.slf4j.simpleLogger.showDateTime=true",
                "-Dorg.slf4j.simpleLogger.dateTimeFormat=yyyy-MM-dd'T'HH:mm:ss.SSSZ", "-cp", simple,
                StartupSample.class.getName()));
        variants.put("Logback, Weft text", List.of(java, "-cp", logback, StartupSample.class.getName()));
        variants.put("Logback, Weft json", List.of("env", "WEFT_LOG_FORMAT=json", java, "-cp", logback,
                StartupSample.class.getName()));
        variants.put("Logback, logback.xml", List.of(java, "-cp", xmlDir + File.pathSeparator + logback,
                StartupSample.class.getName()));
        variants.put("Logback, xml + TTLLLayout", List.of(java, "-cp", ttllDir + File.pathSeparator + logback,
                StartupSample.class.getName()));
        Map<String, long[]> wall = new LinkedHashMap<>();
        Map<String, long[]> cpu = new LinkedHashMap<>();
        for (String name : variants.keySet()) {
            wall.put(name, new long[rounds]);
            cpu.put(name, new long[rounds]);
            run(variants.get(name)); // a first run of each, not counted: the page cache
        }
        for (int round = 0; round < rounds; round++) {
            for (Map.Entry<String, List<String>> v : variants.entrySet()) {
                long[] measured = run(v.getValue());
                wall.get(v.getKey())[round] = measured[0];
                cpu.get(v.getKey())[round] = measured[1];
            }
        }
        String base = variants.keySet().iterator().next();
        long wallBase = median(wall.get(base));
        long cpuBase = median(cpu.get(base));
        System.out.printf("%d rounds, median ms: wall from exec to exit, CPU used by the time the line was logged;"
                + " (+ over %s)%n", rounds, base);
        for (String name : variants.keySet()) {
            long w = median(wall.get(name));
            long c = median(cpu.get(name));
            System.out.printf("  %-26s wall %5.0f (+%3.0f)   cpu %5.0f (+%3.0f)%n", name, w / 1e6,
                    (w - wallBase) / 1e6, c / 1e6, (c - cpuBase) / 1e6);
        }
    }

    private static String classPath(List<String> all, Predicate<String> keep) {
        return String.join(File.pathSeparator, all.stream().filter(keep).toList());
    }

    /** Runs {@code command}: its wall time and the CPU time it reported, in nanoseconds. */
    private static long[] run(List<String> command) throws IOException, InterruptedException {
        long start = System.nanoTime();
        ProcessBuilder pb = new ProcessBuilder(new ArrayList<>(command)).redirectError(ProcessBuilder.Redirect.DISCARD);
        pb.environment().keySet().removeIf(k -> k.startsWith("WEFT_LOG_"));
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes()).trim();
        int status = p.waitFor();
        long took = System.nanoTime() - start;
        if (status != 0) {
            throw new IllegalStateException(command + " exited with " + status);
        }
        return new long[] {took, Long.parseLong(out)};
    }

    private static long median(long[] values) {
        long[] sorted = values.clone();
        Arrays.sort(sorted);
        return sorted[sorted.length / 2];
    }
}
