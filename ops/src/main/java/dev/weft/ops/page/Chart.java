package dev.weft.ops.page;

import java.util.List;

/**
 * One chart of a page: series of y values over shared x values, drawn by uPlot in the browser.
 *
 * @param title  what it shows, e.g. {@code Response time percentiles (ms)}
 * @param xLabel the x axis, e.g. {@code seconds since the run started}
 * @param yLabel the y axis, with its unit
 * @param x      the x values, ascending (uPlot's aligned-data rule)
 * @param series the y series, each as long as {@code x}; NaN where a series has no value at that x
 * @param yMax   the top of the y axis, so that two charts side by side share a scale; NaN to fit the data
 * @param logY   a logarithmic y axis (for distributions, whose tail is a thousandth of their peak); values of 0 are
 *               not drawn on it
 * @param empty  why there is nothing to draw, shown instead of the chart when {@code x} is empty
 */
public record Chart(String title, String xLabel, String yLabel, double[] x, List<Series> series, double yMax,
                    boolean logY, String empty) {

    public Chart {
        series = List.copyOf(series);
        for (Series s : series) {
            if (s.values().length != x.length) {
                throw new IllegalArgumentException(title + ": series " + s.label() + " has " + s.values().length
                        + " values for " + x.length + " x values");
            }
        }
    }

    /** A chart of lines or points on linear axes. */
    public Chart(String title, String xLabel, String yLabel, double[] x, List<Series> series, double yMax,
                 String empty) {
        this(title, xLabel, yLabel, x, series, yMax, false, empty);
    }

    /** This chart with a logarithmic y axis. */
    public Chart withLogY() {
        return new Chart(title, xLabel, yLabel, x, series, yMax, true, empty);
    }

    /** A chart with nothing to draw, and the sentence that says why. */
    public static Chart empty(String title, String why) {
        return new Chart(title, "", "", new double[0], List.of(), Double.NaN, false, why);
    }

    /** Whether there is at least one point to draw. */
    public boolean hasData() {
        for (Series s : series) {
            for (double v : s.values()) {
                if (!Double.isNaN(v)) {
                    return true;
                }
            }
        }
        return false;
    }

    /** The largest y value, NaN when there is none. */
    public double maxY() {
        double max = Double.NaN;
        for (Series s : series) {
            for (double v : s.values()) {
                if (!Double.isNaN(v) && (Double.isNaN(max) || v > max)) {
                    max = v;
                }
            }
        }
        return max;
    }

    /** This chart with its y axis up to {@code max}. */
    public Chart withYMax(double max) {
        return new Chart(title, xLabel, yLabel, x, series, max, logY, empty);
    }

    /**
     * One line (or set of points) of a chart.
     *
     * @param label  its name in the legend
     * @param values y values, NaN for none
     * @param points draw points without lines (events such as GC pauses), instead of a line
     */
    public record Series(String label, double[] values, boolean points) {

        public static Series line(String label, double[] values) {
            return new Series(label, values, false);
        }

        public static Series points(String label, double[] values) {
            return new Series(label, values, true);
        }
    }
}
