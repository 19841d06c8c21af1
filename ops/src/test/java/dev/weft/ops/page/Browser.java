package dev.weft.ops.page;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.weft.testkit.Services;

/**
 * Debian's chromium, headless, on a page file: the DOM after its scripts ran, what its console said, and a screenshot.
 * Each call gets a new profile folder and no network, sync, update or first-run work, so that nothing but the page
 * runs. Tests call {@link #require()} first: without chromium they skip (fail under {@code CI=true}).
 */
public final class Browser {
    private static final Pattern CONSOLE = Pattern.compile(":CONSOLE[:(]\\d*\\)?\\] (.*)");

    /**
     * What the browser made of a page.
     *
     * @param dom     the document after its scripts ran ({@code --dump-dom})
     * @param console every console message, errors included ("Uncaught ReferenceError: ...")
     */
    public record Rendered(String dom, List<String> console) {}

    private Browser() {}

    /** Skips the test unless chromium is installed (fails it under CI=true). */
    public static void require() {
        chromium();
    }

    /** Loads the page, runs its scripts, and returns the DOM and the console messages. */
    public static Rendered render(Path page, Path scratch) throws IOException, InterruptedException {
        Result r = run(scratch, "--enable-logging=stderr", "--v=0", "--dump-dom", url(page));
        List<String> console = new ArrayList<>();
        for (String line : r.err().split("\n")) {
            Matcher m = CONSOLE.matcher(line);
            if (m.find()) {
                console.add(m.group(1));
            }
        }
        return new Rendered(r.out(), console);
    }

    /** A PNG of the page, 1400 pixels wide and {@code height} high. */
    public static void screenshot(Path page, Path png, int height, Path scratch) throws IOException,
            InterruptedException {
        run(scratch, "--hide-scrollbars", "--window-size=1400," + height, "--screenshot=" + png.toAbsolutePath(),
                url(page));
        if (!Files.isRegularFile(png) || Files.size(png) == 0) {
            throw new AssertionError("chromium wrote no screenshot " + png);
        }
    }

    private record Result(String out, String err) {}

    private static Result run(Path scratch, String... args) throws IOException, InterruptedException {
        Path profile = Files.createTempDirectory(scratch, "chromium-profile");
        List<String> command = new ArrayList<>(List.of(chromium().toString(), "--headless", "--no-sandbox",
                "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", "--user-data-dir=" + profile));
        command.addAll(List.of(args));
        Path out = scratch.resolve("chromium.out");
        Path err = scratch.resolve("chromium.err");
        Process p = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.destroyForcibly().waitFor();
            throw new AssertionError("chromium did not finish within 120 s: " + command);
        }
        return new Result(Files.readString(out, StandardCharsets.UTF_8), Files.readString(err, StandardCharsets.UTF_8));
    }

    private static String url(Path page) {
        return page.toAbsolutePath().toUri().toString();
    }

    private static Path chromium() {
        return Services.program("chromium", "apt-get install chromium");
    }
}
