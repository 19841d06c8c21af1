package dev.weft.ops.gc;

/**
 * The collectors a GC log can come from, recognised by the line each one logs first ({@code Using G1} and so on).
 * Each has the launcher profile that selects it, so a report knows which goal to judge by.
 */
public enum Collector {
    G1("G1", "g1"),
    ZGC("generational ZGC", "latency"),
    PARALLEL("Parallel", "throughput"),
    SERIAL("Serial", "small");

    private final String displayName;
    private final String profile;

    Collector(String displayName, String profile) {
        this.displayName = displayName;
        this.profile = profile;
    }

    /** The name people use for it. */
    public String displayName() {
        return displayName;
    }

    /** The weft-launch profile that selects this collector. */
    public String profile() {
        return profile;
    }

    /** The collector a {@code gc} or {@code gc,init} message announces, or null when the message is not one. */
    static Collector announcedBy(String message) {
        return switch (message) {
            case "Using G1" -> G1;
            case "Using Parallel" -> PARALLEL;
            case "Using Serial" -> SERIAL;
            case "Using The Z Garbage Collector", "Initializing The Z Garbage Collector" -> ZGC;
            default -> null;
        };
    }
}
