package dev.weft.ops.run;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import java.util.stream.Stream;

/**
 * The service's {@code /metrics} as run-load polled it: one Prometheus text scrape a second, each in
 * {@code metrics/EPOCH_MILLIS.prom}, read into series over time. Counters become rates between consecutive scrapes
 * (a counter that went down, after a restart, gives no rate for that interval); gauges are read as they are.
 *
 * @param times   when each scrape was taken, epoch milliseconds, ascending
 * @param scrapes the samples of each scrape
 */
public record Metrics(long[] times, List<List<PrometheusText.Sample>> scrapes) {

    /** A run without any scrape. */
    public static final Metrics NONE = new Metrics(new long[0], List.of());

    /**
     * Reads every {@code *.prom} file of {@code dir}, by the time in its name; NONE when the folder is absent.
     *
     * @throws IOException when a file cannot be read, or is not Prometheus text (the message names it)
     */
    public static Metrics read(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            return NONE;
        }
        List<Path> files;
        try (Stream<Path> list = Files.list(dir)) {
            files = list.filter(p -> p.getFileName().toString().matches("\\d+\\.prom")).sorted((a, b) ->
                    Long.compare(time(a), time(b))).toList();
        }
        long[] times = new long[files.size()];
        List<List<PrometheusText.Sample>> scrapes = new ArrayList<>();
        for (int i = 0; i < files.size(); i++) {
            times[i] = time(files.get(i));
            try {
                scrapes.add(PrometheusText.parse(Files.readString(files.get(i))));
            } catch (IllegalArgumentException e) {
                throw new IOException(files.get(i) + ": " + e.getMessage(), e);
            }
        }
        return new Metrics(times, scrapes);
    }

    private static long time(Path file) {
        String name = file.getFileName().toString();
        return Long.parseLong(name.substring(0, name.length() - ".prom".length()));
    }

    /** Whether any scrape holds a sample of {@code name}. */
    public boolean has(String name) {
        for (List<PrometheusText.Sample> scrape : scrapes) {
            for (PrometheusText.Sample s : scrape) {
                if (s.name().equals(name)) {
                    return true;
                }
            }
        }
        return false;
    }

    /**
     * A gauge over time, one series per value of {@code groupBy} (summed over the other labels; an empty
     * {@code groupBy} sums everything into one series named after the metric). Times without the metric are NaN.
     */
    public Map<String, double[]> gauge(String name, Predicate<Map<String, String>> filter, String groupBy) {
        Map<String, double[]> series = new LinkedHashMap<>();
        for (int i = 0; i < scrapes.size(); i++) {
            for (PrometheusText.Sample s : scrapes.get(i)) {
                if (s.name().equals(name) && filter.test(s.labels())) {
                    double[] values = series.computeIfAbsent(group(name, s, groupBy), k -> nans(times.length));
                    values[i] = (Double.isNaN(values[i]) ? 0 : values[i]) + s.value();
                }
            }
        }
        return series;
    }

    /**
     * A counter's increase per second between consecutive scrapes, at the later scrape's time, grouped as
     * {@link #gauge}; the first time is NaN.
     */
    public Map<String, double[]> rate(String name, Predicate<Map<String, String>> filter, String groupBy) {
        Map<String, double[]> totals = gauge(name, filter, groupBy);
        Map<String, double[]> rates = new LinkedHashMap<>();
        totals.forEach((key, values) -> {
            double[] r = nans(values.length);
            for (int i = 1; i < values.length; i++) {
                double dt = (times[i] - times[i - 1]) / 1000.0;
                double dv = values[i] - values[i - 1];
                if (dt > 0 && dv >= 0) {
                    r[i] = dv / dt;
                }
            }
            rates.put(key, r);
        });
        return rates;
    }

    /**
     * The mean of what a timer measured in each interval, in milliseconds: the increase of {@code name_sum} over
     * the increase of {@code name_count} (a Prometheus timer in seconds), summed over the matching labels; NaN for an
     * interval without an event.
     */
    public double[] meanMillis(String timer, Predicate<Map<String, String>> filter) {
        double[] sums = gauge(timer + "_sum", filter, "").getOrDefault(timer + "_sum", nans(times.length));
        double[] counts = gauge(timer + "_count", filter, "").getOrDefault(timer + "_count", nans(times.length));
        double[] mean = nans(times.length);
        for (int i = 1; i < times.length; i++) {
            double n = counts[i] - counts[i - 1];
            if (n > 0) {
                mean[i] = (sums[i] - sums[i - 1]) / n * 1000;
            }
        }
        return mean;
    }

    /** How much a counter grew from the first scrape to the last, summed over the matching labels; NaN without it. */
    public double increase(String name, Predicate<Map<String, String>> filter) {
        double[] values = gauge(name, filter, "").get(name);
        if (values == null) {
            return Double.NaN;
        }
        double first = Double.NaN;
        double last = Double.NaN;
        for (double v : values) {
            if (!Double.isNaN(v)) {
                first = Double.isNaN(first) ? v : first;
                last = v;
            }
        }
        return last - first;
    }

    private static String group(String name, PrometheusText.Sample s, String groupBy) {
        if (groupBy.isEmpty()) {
            return name;
        }
        List<String> parts = new ArrayList<>();
        for (String label : groupBy.split(",")) {
            parts.add(s.labels().getOrDefault(label, "-"));
        }
        return String.join(" ", parts);
    }

    static double[] nans(int n) {
        double[] a = new double[n];
        Arrays.fill(a, Double.NaN);
        return a;
    }
}
