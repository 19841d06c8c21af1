package dev.weft.ops.page;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.weft.ops.gc.GcReport;
import dev.weft.ops.run.RunReport;

/**
 * The two pages in a real browser (Debian's chromium, headless): they load with no console message (an error in a
 * page's script would show as "Uncaught ..."), every chart with data is drawn with as many points as its data has,
 * and a screenshot of each is kept in target/pages/ to look at.
 */
class PagesInBrowserTest {
    private static final Pattern FIGURE = Pattern.compile("<figure class=\"chart\" id=\"(chart-\\d+)\"([^>]*)>(.*?)</figure>",
            Pattern.DOTALL);
    private static final Path KEPT = Path.of("target", "pages");

    @TempDir
    Path dir;

    @BeforeAll
    static void chromium() {
        Browser.require();
    }

    @Test
    void theComparePageRendersEveryChartWithItsData() throws Exception {
        Path page = KEPT.resolve("compare.html");
        Files.createDirectories(KEPT);
        int status = RunReport.run(new String[] {"page", page.toString(),
                fixture("cache-off").toString(), fixture("cache-on").toString()}, System.out, System.err);
        assertEquals(0, status);
        int drawn = checkRendered(page, 22);
        assertTrue(drawn >= 16, "at least the latency, throughput, GC, pool and run B's cache charts: " + drawn);
        Browser.screenshot(page, KEPT.resolve("compare.png"), 5000, dir);
    }

    @Test
    void theGcPageRendersThePauseTimelineAndTheHeap() throws Exception {
        Path page = KEPT.resolve("gc-report.html");
        Files.createDirectories(KEPT);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int status = GcReport.run(new String[] {fixture("cache-on").resolve("service/gc.log").toString(), "--html"},
                new PrintStream(out, true, StandardCharsets.UTF_8), System.err);
        assertEquals(0, status, "the fixture run met the g1 goal");
        Files.write(page, out.toByteArray());
        assertEquals(2, checkRendered(page, 2));
        Browser.screenshot(page, KEPT.resolve("gc-report.png"), 1400, dir);
    }

    /** Renders the page and checks it; returns how many charts were drawn. */
    private int checkRendered(Path page, int figures) throws Exception {
        Browser.Rendered r = Browser.render(page, dir);
        assertEquals(java.util.List.of(), r.console(), "the page logged to the console");
        Matcher body = Pattern.compile("<body data-charts=\"(\\d+)\"").matcher(r.dom());
        assertTrue(body.find(), "the page's script did not finish drawing: " + r.dom().substring(0, 400));
        int drawn = Integer.parseInt(body.group(1));
        String html = Files.readString(page);
        Matcher f = FIGURE.matcher(r.dom());
        int seen = 0;
        int withData = 0;
        while (f.find()) {
            seen++;
            String inner = f.group(3);
            if (inner.contains("class=\"empty\"")) {
                assertTrue(!f.group(2).contains("data-points"), f.group(1) + " is empty but was drawn");
                continue;
            }
            Matcher points = Pattern.compile("data-points=\"(\\d+)\"").matcher(f.group(2));
            assertTrue(points.find(), f.group(1) + " has data but was not drawn");
            int n = Integer.parseInt(points.group(1));
            assertTrue(n > 0, f.group(1) + " was drawn without points");
            assertTrue(inner.contains("<canvas"), f.group(1) + " has no canvas: " + inner);
            withData++;
            String data = html.substring(html.indexOf("\"id\":\"" + f.group(1) + "\""));
            assertTrue(data.contains("\"data\":[["), f.group(1));
        }
        assertEquals(figures, seen, "figures in the page");
        assertEquals(withData, drawn, "charts drawn");
        return drawn;
    }

    private static Path fixture(String name) throws Exception {
        return Path.of(PagesInBrowserTest.class.getResource("/runs/" + name).toURI());
    }
}
