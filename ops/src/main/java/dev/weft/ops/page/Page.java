package dev.weft.ops.page;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * A self-contained HTML page of text, tables and charts: uPlot's script and style are inlined, so the file works
 * offline and can be committed or mailed as it is.
 *
 * <p>The charts' data goes into the page as JSON; {@code page.js} draws each with uPlot and, once drawn, sets the
 * figure's {@code data-points} attribute to the number of x values it drew and the body's {@code data-charts} to the
 * number of charts drawn, so that a headless browser's DOM dump shows that every chart got its data. A chart without
 * data is not drawn: the page says why in its place.
 *
 * <p>uPlot (MIT licence) was chosen for its size: 50 KB minified, where ECharts is about 1 MB, which matters for pages
 * that are committed next to each claim.
 */
public final class Page {
    private static final String UPLOT = "META-INF/resources/webjars/uplot/" + uPlotVersion() + "/";

    private final String title;
    private final StringBuilder body = new StringBuilder();
    private final List<Chart> charts = new ArrayList<>();

    public Page(String title) {
        this.title = title;
    }

    /** A heading, level 1 to 3. */
    public Page heading(int level, String text) {
        body.append("<h").append(level).append('>').append(escape(text)).append("</h").append(level).append(">\n");
        return this;
    }

    /** A paragraph of plain text. */
    public Page paragraph(String text) {
        return paragraph(text, "");
    }

    /** A paragraph of plain text with a CSS class ({@code note}, {@code met}, {@code not-met}). */
    public Page paragraph(String text, String cssClass) {
        body.append(cssClass.isEmpty() ? "<p>" : "<p class=\"" + cssClass + "\">").append(escape(text)).append("</p>\n");
        return this;
    }

    /** A table; the first column is left-aligned, the others right-aligned (numbers). */
    public Page table(List<String> header, List<List<String>> rows) {
        body.append("<table>\n<thead><tr>");
        for (String h : header) {
            body.append("<th>").append(escape(h)).append("</th>");
        }
        body.append("</tr></thead>\n<tbody>\n");
        for (List<String> row : rows) {
            body.append("<tr>");
            for (String cell : row) {
                body.append("<td>").append(escape(cell)).append("</td>");
            }
            body.append("</tr>\n");
        }
        body.append("</tbody>\n</table>\n");
        return this;
    }

    /** Charts side by side in one row (one per run being compared). */
    public Page row(List<Chart> row) {
        body.append("<div class=\"row cols-").append(row.size()).append("\">\n");
        for (Chart chart : row) {
            String id = "chart-" + charts.size();
            charts.add(chart);
            body.append("<figure class=\"chart\" id=\"").append(id).append("\">");
            body.append("<figcaption>").append(escape(chart.title())).append("</figcaption>");
            if (chart.hasData()) {
                body.append("<div class=\"plot\"></div>");
            } else {
                body.append("<p class=\"empty\">").append(escape(chart.empty())).append("</p>");
            }
            body.append("</figure>\n");
        }
        body.append("</div>\n");
        return this;
    }

    /** The whole page. */
    public String render() {
        StringBuilder html = new StringBuilder(128 * 1024);
        html.append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n");
        html.append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n");
        html.append("<title>").append(escape(title)).append("</title>\n");
        html.append("<style>\n").append(resource(UPLOT + "dist/uPlot.min.css")).append("\n</style>\n");
        html.append("<style>\n").append(resource("dev/weft/ops/page/page.css")).append("</style>\n");
        html.append("</head>\n<body data-charts=\"pending\">\n<main>\n");
        html.append(body);
        html.append("</main>\n<script type=\"application/json\" id=\"weft-charts\">");
        html.append(chartsJson().replace("</", "<\\/"));
        html.append("</script>\n<script>\n/*\n").append(resource(UPLOT + "LICENSE")).append("*/\n");
        html.append(resource(UPLOT + "dist/uPlot.iife.min.js")).append("\n</script>\n");
        html.append("<script>\n").append(resource("dev/weft/ops/page/page.js")).append("</script>\n");
        html.append("</body>\n</html>\n");
        return html.toString();
    }

    private String chartsJson() {
        ObjectMapper mapper = new ObjectMapper();
        ArrayNode all = mapper.createArrayNode();
        for (int i = 0; i < charts.size(); i++) {
            Chart chart = charts.get(i);
            if (!chart.hasData()) {
                continue;
            }
            ObjectNode c = all.addObject();
            c.put("id", "chart-" + i);
            c.put("x", chart.xLabel());
            c.put("y", chart.yLabel());
            if (!Double.isNaN(chart.yMax()) && chart.yMax() > 0) {
                c.put("yMax", chart.yMax());
            }
            c.put("logY", chart.logY());
            ArrayNode series = c.putArray("series");
            ArrayNode data = c.putArray("data");
            add(data.addArray(), chart.x());
            for (Chart.Series s : chart.series()) {
                series.addObject().put("label", s.label()).put("points", s.points());
                add(data.addArray(), chart.logY() ? positive(s.values()) : s.values());
            }
        }
        try {
            return mapper.writeValueAsString(all);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Zero and negative values have no place on a logarithmic axis: they become gaps. */
    private static double[] positive(double[] values) {
        double[] p = values.clone();
        for (int i = 0; i < p.length; i++) {
            if (!(p[i] > 0)) {
                p[i] = Double.NaN;
            }
        }
        return p;
    }

    private static void add(ArrayNode array, double[] values) {
        for (double v : values) {
            if (Double.isNaN(v) || Double.isInfinite(v)) {
                array.addNull();
            } else if (v == Math.rint(v) && Math.abs(v) < 1e15) {
                array.add((long) v);
            } else {
                array.add(Math.round(v * 1000) / 1000.0);
            }
        }
    }

    /** Text made safe for HTML element content and attribute values. */
    public static String escape(String text) {
        StringBuilder b = new StringBuilder(text.length() + 16);
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '&' -> b.append("&amp;");
                case '<' -> b.append("&lt;");
                case '>' -> b.append("&gt;");
                case '"' -> b.append("&quot;");
                case '\'' -> b.append("&#39;");
                default -> b.append(c);
            }
        }
        return b.toString();
    }

    private static String resource(String name) {
        try (InputStream in = Page.class.getClassLoader().getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException("missing resource " + name + " (is the uPlot webjar on the class path?)");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The uPlot version the build bundled, from the webjar's Maven metadata. */
    private static String uPlotVersion() {
        String pom = "META-INF/maven/org.webjars.npm/uplot/pom.properties";
        try (InputStream in = Page.class.getClassLoader().getResourceAsStream(pom)) {
            if (in == null) {
                throw new IllegalStateException("missing " + pom + ": the uPlot webjar is not on the class path");
            }
            java.util.Properties p = new java.util.Properties();
            p.load(in);
            return p.getProperty("version");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
