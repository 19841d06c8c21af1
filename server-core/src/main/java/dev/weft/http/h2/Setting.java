package dev.weft.http.h2;

/**
 * One setting of a SETTINGS frame (RFC 9113 section 6.5.1): a 16-bit identifier and an unsigned 32-bit value, kept
 * in a long.
 */
public record Setting(int id, long value) {
    public static final int HEADER_TABLE_SIZE = 0x1;
    public static final int ENABLE_PUSH = 0x2;
    public static final int MAX_CONCURRENT_STREAMS = 0x3;
    public static final int INITIAL_WINDOW_SIZE = 0x4;
    public static final int MAX_FRAME_SIZE = 0x5;
    public static final int MAX_HEADER_LIST_SIZE = 0x6;

    /** The largest flow-control window, 2^31-1 (section 6.9.1). */
    public static final int MAX_WINDOW_SIZE = Integer.MAX_VALUE;
    /** The smallest SETTINGS_MAX_FRAME_SIZE, 2^14, which is also its initial value (section 4.2). */
    public static final int MIN_MAX_FRAME_SIZE = 1 << 14;
    /** The largest SETTINGS_MAX_FRAME_SIZE, 2^24-1 (section 4.2). */
    public static final int MAX_MAX_FRAME_SIZE = (1 << 24) - 1;

    /** True for the six settings RFC 9113 defines; any other is ignored (section 6.5.2). */
    static boolean isKnown(int id) {
        return id >= HEADER_TABLE_SIZE && id <= MAX_HEADER_LIST_SIZE;
    }

    /**
     * The error that receiving {@code value} for setting {@code id} is (section 6.5.2), or null when the value is in
     * range: SETTINGS_ENABLE_PUSH other than 0 or 1 is a PROTOCOL_ERROR, SETTINGS_INITIAL_WINDOW_SIZE above 2^31-1 a
     * FLOW_CONTROL_ERROR, SETTINGS_MAX_FRAME_SIZE outside 2^14 to 2^24-1 a PROTOCOL_ERROR. The other settings take
     * any 32-bit value.
     */
    static ConnectionError check(int id, long value) {
        return switch (id) {
            case ENABLE_PUSH -> value == 0 || value == 1 ? null
                    : new ConnectionError(ErrorCode.PROTOCOL_ERROR,
                            "SETTINGS_ENABLE_PUSH must be 0 or 1, was " + value);
            case INITIAL_WINDOW_SIZE -> value <= MAX_WINDOW_SIZE ? null
                    : new ConnectionError(ErrorCode.FLOW_CONTROL_ERROR,
                            "SETTINGS_INITIAL_WINDOW_SIZE must be at most 2^31-1, was " + value);
            case MAX_FRAME_SIZE -> value >= MIN_MAX_FRAME_SIZE && value <= MAX_MAX_FRAME_SIZE ? null
                    : new ConnectionError(ErrorCode.PROTOCOL_ERROR,
                            "SETTINGS_MAX_FRAME_SIZE must be between 2^14 and 2^24-1, was " + value);
            default -> null;
        };
    }
}
