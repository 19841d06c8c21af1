package dev.weft.ops.gc;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads a unified GC log ({@code -Xlog:gc*:file=...:time,uptime,level,tags}) from G1, generational ZGC, Parallel or
 * Serial into a {@link GcLog}. It needs the {@code uptime} decoration (the launcher always writes it) and reads the
 * info-level lines of the tags {@code gc}, {@code gc,init}, {@code gc,phases} and {@code gc,heap}; other lines are
 * skipped, so a log with more tags or levels reads the same.
 *
 * <p>Allocation is the growth of the heap between collections: for G1, Parallel and Serial the heap before a pause
 * minus the heap after the previous one; ZGC collects while the application allocates, so there it is the
 * {@code Allocated} figure its young-generation table reports at the end of each cycle plus the growth between
 * cycles. Promotion is the old generation's growth over each young pause (G1: old regions times the region size;
 * Parallel: {@code ParOldGen}; Serial: {@code Tenured}; ZGC: its {@code Promoted} figure).
 */
public final class GcLogParser {

    private static final Pattern DECORATION = Pattern.compile("\\[([^\\]]*)\\]");
    private static final Pattern UPTIME = Pattern.compile("(\\d+(?:\\.\\d+)?)(s|ms)");
    /** The {@code time} decoration: {@code 2026-12-06T00:52:48.532+0000}. */
    private static final Pattern TIME = Pattern.compile("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}[+-]\\d{4}");
    private static final DateTimeFormatter TIME_FORMAT = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSZ");
    private static final String SIZE = "(\\d+(?:\\.\\d+)?[BKMGT])";
    /** G1, Parallel, Serial: {@code GC(3) Pause Young (Allocation Failure) 18M->2M(61M) 0.323ms}. */
    private static final Pattern STW_PAUSE = Pattern.compile(
            "GC\\((\\d+)\\) (Pause .*?)(?: " + SIZE + "->" + SIZE + "\\(" + SIZE + "\\))? (\\d+(?:\\.\\d+)?)ms");
    /** ZGC: {@code GC(3) y: Pause Mark Start 0.003ms}. */
    private static final Pattern ZGC_PAUSE = Pattern.compile("GC\\((\\d+)\\) ([YyO]: Pause .*?) (\\d+(?:\\.\\d+)?)ms");
    /** ZGC: {@code GC(3) Minor Collection (Allocation Rate) 38M(59%)->12M(19%) 0.001s}. */
    private static final Pattern ZGC_CYCLE_START = Pattern.compile("GC\\((\\d+)\\) (?:Minor|Major) Collection \\([^)]*\\)");
    private static final Pattern ZGC_CYCLE = Pattern.compile(
            "GC\\((\\d+)\\) (?:Minor|Major) Collection \\(.*\\) " + SIZE + "\\(\\d+%\\)->" + SIZE + "\\(\\d+%\\) .*");
    /** ZGC's young-generation table rows; the last column is the value at the end of the cycle. */
    private static final Pattern ZGC_ROW = Pattern.compile("GC\\(\\d+\\) [Yy]: +(Allocated|Promoted): .* " + SIZE + " \\(\\d+%\\)\\s*");
    private static final Pattern ZGC_STALL = Pattern.compile("Allocation Stall \\(.*\\) (\\d+(?:\\.\\d+)?)ms");
    private static final Pattern G1_REGION_SIZE = Pattern.compile("Heap Region Size: " + SIZE);
    private static final Pattern G1_OLD = Pattern.compile("GC\\((\\d+)\\) Old regions: (\\d+)->(\\d+)");
    private static final Pattern OLD_GEN = Pattern.compile(
            "GC\\((\\d+)\\) (?:ParOldGen|Tenured): " + SIZE + "\\(" + SIZE + "\\)->" + SIZE + "\\(.*");

    private GcLogParser() {
    }

    /** Parses the files in order, as one log (pass rotated files oldest first). */
    public static GcLog parse(List<Path> files) throws IOException {
        State s = new State();
        for (Path file : files) {
            try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
                String line;
                while ((line = in.readLine()) != null) {
                    s.line(line);
                }
            }
        }
        return s.result(files.toString());
    }

    /** Parses lines already in memory. */
    public static GcLog parse(Iterable<String> lines, String name) {
        State s = new State();
        for (String line : lines) {
            s.line(line);
        }
        return s.result(name);
    }

    /** Bytes in a unified-logging size such as {@code 512K}, {@code 64M} or {@code 2G}. */
    static long bytes(String size) {
        char unit = size.charAt(size.length() - 1);
        double n = Double.parseDouble(size.substring(0, size.length() - 1));
        long scale = switch (unit) {
            case 'B' -> 1L;
            case 'K' -> 1L << 10;
            case 'M' -> 1L << 20;
            case 'G' -> 1L << 30;
            case 'T' -> 1L << 40;
            default -> throw new IllegalArgumentException("not a size: " + size);
        };
        return Math.round(n * scale);
    }

    private static final class State {
        Collector collector;
        final List<Pause> pauses = new ArrayList<>();
        final List<HeapSample> heap = new ArrayList<>();
        long jvmStart = -1;
        int collections;
        int stalls;
        double stallMillis;
        long allocated;
        long promoted;
        long heapAfterPrevious;
        /** ZGC: the cycles running now, and those that began when none was running (their growth counts). */
        final Set<Integer> running = new HashSet<>();
        final Set<Integer> begunAfterAGap = new HashSet<>();
        long regionSize;
        /** Old-generation growth seen in a collection's heap lines, by GC id, until its pause line arrives. */
        final Map<Integer, Long> oldGrowth = new HashMap<>();
        double start = Double.NaN;
        double end = Double.NaN;
        boolean sawDecoratedLine;

        void line(String line) {
            Matcher d = DECORATION.matcher(line);
            int pos = 0;
            String uptime = null;
            String time = null;
            String tags = null;
            while (d.find() && d.start() == pos) {
                String value = d.group(1).trim();
                Matcher u = UPTIME.matcher(value);
                if (u.matches()) {
                    uptime = value;
                } else if (TIME.matcher(value).matches()) {
                    time = value;
                }
                tags = value;
                pos = d.end();
            }
            if (tags == null) {
                return;
            }
            sawDecoratedLine = true;
            if (uptime == null) {
                return;
            }
            Matcher u = UPTIME.matcher(uptime);
            u.matches();
            double seconds = Double.parseDouble(u.group(1)) / (u.group(2).equals("ms") ? 1000 : 1);
            if (Double.isNaN(start)) {
                start = seconds;
            }
            if (jvmStart < 0 && time != null) {
                try {
                    jvmStart = OffsetDateTime.parse(time, TIME_FORMAT).toInstant().toEpochMilli()
                            - Math.round(seconds * 1000);
                } catch (DateTimeParseException e) {
                    // not a time after all: the wall clock stays unknown
                }
            }
            end = seconds;
            String message = line.substring(pos).trim();
            switch (tags) {
                case "gc", "gc,init" -> gcLine(message, seconds);
                case "gc,phases" -> phaseLine(message, seconds);
                case "gc,heap" -> heapLine(message);
                default -> { }
            }
        }

        void gcLine(String message, double seconds) {
            Collector announced = Collector.announcedBy(message);
            if (announced != null) {
                collector = announced;
                return;
            }
            Matcher m;
            if ((m = G1_REGION_SIZE.matcher(message)).matches()) {
                regionSize = bytes(m.group(1));
            } else if ((m = STW_PAUSE.matcher(message)).matches()) {
                int id = Integer.parseInt(m.group(1));
                String kind = m.group(2);
                pauses.add(new Pause(id, seconds, kind, Double.parseDouble(m.group(6))));
                if (m.group(3) != null) {
                    growth(bytes(m.group(3)), bytes(m.group(4)));
                    heap.add(new HeapSample(seconds, bytes(m.group(3)), bytes(m.group(4)), bytes(m.group(5))));
                }
                if (!kind.startsWith("Pause Remark") && !kind.startsWith("Pause Cleanup")) {
                    collections++;
                }
                Long old = oldGrowth.remove(id);
                if (old != null && kind.startsWith("Pause Young") && old > 0) {
                    promoted += old;
                }
            } else if ((m = ZGC_CYCLE_START.matcher(message)).matches()) {
                int id = Integer.parseInt(m.group(1));
                if (running.isEmpty()) {
                    begunAfterAGap.add(id);
                }
                running.add(id);
            } else if ((m = ZGC_CYCLE.matcher(message)).matches()) {
                collections++;
                int id = Integer.parseInt(m.group(1));
                running.remove(id);
                long before = bytes(m.group(2));
                // Only a cycle that began with none running adds the growth since the last one ended: a minor
                // collection runs inside a major one's old phase, and what the heap grew by then is already in the
                // young tables' Allocated rows (counting it again overstated a busy run's allocation by a quarter).
                if (begunAfterAGap.remove(id) && before > heapAfterPrevious) {
                    allocated += before - heapAfterPrevious;
                }
                heapAfterPrevious = bytes(m.group(3));
                heap.add(new HeapSample(seconds, before, heapAfterPrevious, -1));
            } else if ((m = ZGC_STALL.matcher(message)).find()) {
                stalls++;
                stallMillis += Double.parseDouble(m.group(1));
            }
        }

        void phaseLine(String message, double seconds) {
            Matcher m = ZGC_PAUSE.matcher(message);
            if (m.matches()) {
                pauses.add(new Pause(Integer.parseInt(m.group(1)), seconds, m.group(2), Double.parseDouble(m.group(3))));
            }
        }

        void heapLine(String message) {
            Matcher m;
            if ((m = G1_OLD.matcher(message)).matches()) {
                long regions = Long.parseLong(m.group(3)) - Long.parseLong(m.group(2));
                oldGrowth.put(Integer.parseInt(m.group(1)), regions * regionSize);
            } else if ((m = OLD_GEN.matcher(message)).matches()) {
                oldGrowth.put(Integer.parseInt(m.group(1)), bytes(m.group(4)) - bytes(m.group(2)));
            } else if ((m = ZGC_ROW.matcher(message)).matches()) {
                long value = bytes(m.group(2));
                if (m.group(1).equals("Allocated")) {
                    allocated += value;
                } else {
                    promoted += value;
                }
            }
        }

        void growth(long before, long after) {
            if (before > heapAfterPrevious) {
                allocated += before - heapAfterPrevious;
            }
            heapAfterPrevious = after;
        }

        GcLog result(String name) {
            if (!sawDecoratedLine) {
                throw new IllegalArgumentException(name + ": not a unified GC log (no [decorated] lines)");
            }
            if (Double.isNaN(start)) {
                throw new IllegalArgumentException(name + ": the log has no uptime decoration; write it with "
                        + "-Xlog:gc*:file=...:time,uptime,level,tags");
            }
            if (collector == null) {
                throw new IllegalArgumentException(name + ": no 'Using <collector>' line: is this the start of a "
                        + "gc* log from G1, ZGC, Parallel or Serial? (pass rotated files oldest first)");
            }
            return new GcLog(collector, pauses, collections, stalls, stallMillis, allocated, promoted, heap, start, end,
                    jvmStart);
        }
    }
}
