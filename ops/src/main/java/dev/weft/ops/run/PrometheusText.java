package dev.weft.ops.run;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Reads the Prometheus text exposition format (version 0.0.4, what Micrometer's {@code PrometheusMeterRegistry} and
 * every Prometheus client write): one sample a line, {@code name{label="value",...} value [timestamp]}, with
 * {@code #} comment lines ({@code HELP}, {@code TYPE}) skipped.
 *
 * <p>Written here because no maintained Java library reads the format: Prometheus's Java client only writes it. The
 * reader follows the format's grammar, label values with their three escapes ({@code \\}, {@code \"}, {@code \n})
 * and the special values {@code NaN}, {@code +Inf} and {@code -Inf}; a line it cannot read is an error naming it.
 */
public final class PrometheusText {

    /**
     * One sample.
     *
     * @param name   the metric name as exposed ({@code cache_gets_total}, {@code hikaricp_connections_active})
     * @param labels its labels, sorted by name
     * @param value  its value
     */
    public record Sample(String name, Map<String, String> labels, double value) {
        public Sample {
            labels = Map.copyOf(labels);
        }
    }

    private PrometheusText() {}

    /** The samples of one scrape, in order. @throws IllegalArgumentException for a line that is not a sample */
    public static List<Sample> parse(String text) {
        List<Sample> samples = new ArrayList<>();
        int lineNumber = 0;
        for (String line : text.split("\n")) {
            lineNumber++;
            String l = line.strip();
            if (l.isEmpty() || l.startsWith("#")) {
                continue;
            }
            try {
                samples.add(sample(l));
            } catch (RuntimeException e) {
                throw new IllegalArgumentException("line " + lineNumber + " is not a Prometheus sample ("
                        + e.getMessage() + "): " + line);
            }
        }
        return samples;
    }

    private static Sample sample(String line) {
        int i = 0;
        while (i < line.length() && isNameChar(line.charAt(i), i == 0)) {
            i++;
        }
        if (i == 0) {
            throw new IllegalArgumentException("no metric name");
        }
        String name = line.substring(0, i);
        Map<String, String> labels = new TreeMap<>();
        if (i < line.length() && line.charAt(i) == '{') {
            i++;
            while (true) {
                i = skipSpaces(line, i);
                if (line.charAt(i) == '}') {
                    i++;
                    break;
                }
                int start = i;
                while (isNameChar(line.charAt(i), i == start)) {
                    i++;
                }
                String label = line.substring(start, i);
                i = skipSpaces(line, i);
                expect(line, i++, '=');
                i = skipSpaces(line, i);
                expect(line, i++, '"');
                StringBuilder value = new StringBuilder();
                for (char c = line.charAt(i); c != '"'; c = line.charAt(i)) {
                    if (c == '\\') {
                        char next = line.charAt(++i);
                        value.append(switch (next) {
                            case 'n' -> '\n';
                            case '\\', '"' -> next;
                            default -> throw new IllegalArgumentException("unknown escape \\" + next);
                        });
                    } else {
                        value.append(c);
                    }
                    i++;
                }
                i++;
                labels.put(label, value.toString());
                i = skipSpaces(line, i);
                if (line.charAt(i) == ',') {
                    i++;
                }
            }
        }
        String[] rest = line.substring(i).strip().split("\\s+");
        if (rest.length < 1 || rest.length > 2 || rest[0].isEmpty()) {
            throw new IllegalArgumentException("expected a value and an optional timestamp");
        }
        return new Sample(name, labels, value(rest[0]));
    }

    private static double value(String s) {
        return switch (s) {
            case "+Inf", "Inf" -> Double.POSITIVE_INFINITY;
            case "-Inf" -> Double.NEGATIVE_INFINITY;
            case "NaN" -> Double.NaN;
            default -> Double.parseDouble(s);
        };
    }

    private static boolean isNameChar(char c, boolean first) {
        return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c == '_' || c == ':' || !first && c >= '0' && c <= '9';
    }

    private static int skipSpaces(String line, int i) {
        while (line.charAt(i) == ' ' || line.charAt(i) == '\t') {
            i++;
        }
        return i;
    }

    private static void expect(String line, int i, char c) {
        if (line.charAt(i) != c) {
            throw new IllegalArgumentException("expected '" + c + "' at column " + (i + 1));
        }
    }
}
