package dev.weft.http.h2;

import java.util.ArrayList;
import java.util.List;

/**
 * The values of the six settings of RFC 9113 section 6.5.2, as one endpoint advertises them: immutable, each change
 * a new instance. The peer's start at {@link #DEFAULT} and change with each SETTINGS frame it sends, in order
 * (section 6.5.3); this server's are configured and sent in its connection preface.
 *
 * <p>Values are ints: a received value above 2^31-1 (possible for the table size, the concurrent streams and the
 * header list size, which take any 32-bit value) is kept as 2^31-1, which no connection can tell apart from it.
 *
 * @param headerTableSize      SETTINGS_HEADER_TABLE_SIZE: the largest dynamic table the sender's HPACK decoder keeps
 * @param enablePush           SETTINGS_ENABLE_PUSH: whether the sender accepts server push (only a client's matters)
 * @param maxConcurrentStreams SETTINGS_MAX_CONCURRENT_STREAMS: how many streams the receiver may open at once
 * @param initialWindowSize    SETTINGS_INITIAL_WINDOW_SIZE: each new stream's flow-control window
 * @param maxFrameSize         SETTINGS_MAX_FRAME_SIZE: the largest frame payload the sender accepts
 * @param maxHeaderListSize    SETTINGS_MAX_HEADER_LIST_SIZE: the largest header list the sender accepts (advisory)
 */
public record Settings(int headerTableSize, boolean enablePush, int maxConcurrentStreams, int initialWindowSize,
        int maxFrameSize, int maxHeaderListSize) {
    /** What "unlimited" is stored as: the initial value of the concurrent streams and the header list size. */
    static final int UNLIMITED = Integer.MAX_VALUE;

    /** The initial values (section 6.5.2), in force until a SETTINGS frame changes them. */
    public static final Settings DEFAULT = new Settings(4_096, true, UNLIMITED, 65_535, Setting.MIN_MAX_FRAME_SIZE,
            UNLIMITED);

    public Settings {
        if (headerTableSize < 0 || maxConcurrentStreams < 0 || initialWindowSize < 0 || maxHeaderListSize < 0) {
            throw new IllegalArgumentException("settings cannot be negative: headerTableSize " + headerTableSize
                    + ", maxConcurrentStreams " + maxConcurrentStreams + ", initialWindowSize " + initialWindowSize
                    + ", maxHeaderListSize " + maxHeaderListSize);
        }
        ConnectionError error = Setting.check(Setting.MAX_FRAME_SIZE, maxFrameSize);
        if (error != null) {
            throw new IllegalArgumentException(error.getMessage());
        }
    }

    /** These settings with {@code setting} applied; unchanged for a setting this server does not know. */
    public Settings with(Setting setting) {
        int v = (int) Math.min(setting.value(), Integer.MAX_VALUE);
        return switch (setting.id()) {
            case Setting.HEADER_TABLE_SIZE -> new Settings(v, enablePush, maxConcurrentStreams, initialWindowSize,
                    maxFrameSize, maxHeaderListSize);
            case Setting.ENABLE_PUSH -> new Settings(headerTableSize, v == 1, maxConcurrentStreams,
                    initialWindowSize, maxFrameSize, maxHeaderListSize);
            case Setting.MAX_CONCURRENT_STREAMS -> new Settings(headerTableSize, enablePush, v, initialWindowSize,
                    maxFrameSize, maxHeaderListSize);
            case Setting.INITIAL_WINDOW_SIZE -> new Settings(headerTableSize, enablePush, maxConcurrentStreams, v,
                    maxFrameSize, maxHeaderListSize);
            case Setting.MAX_FRAME_SIZE -> new Settings(headerTableSize, enablePush, maxConcurrentStreams,
                    initialWindowSize, v, maxHeaderListSize);
            case Setting.MAX_HEADER_LIST_SIZE -> new Settings(headerTableSize, enablePush, maxConcurrentStreams,
                    initialWindowSize, maxFrameSize, v);
            default -> this;
        };
    }

    /** These settings with each of {@code settings} applied in order, as section 6.5.3 requires. */
    public Settings with(List<Setting> settings) {
        Settings s = this;
        for (Setting setting : settings) {
            s = s.with(setting);
        }
        return s;
    }

    /**
     * The settings a server sends to announce these values: those that differ from {@link #DEFAULT}, except
     * SETTINGS_ENABLE_PUSH, which a server may leave out and must never send as 1 (section 6.5.2).
     */
    public List<Setting> toServerPreface() {
        List<Setting> list = new ArrayList<>(5);
        if (headerTableSize != DEFAULT.headerTableSize) {
            list.add(new Setting(Setting.HEADER_TABLE_SIZE, headerTableSize));
        }
        if (maxConcurrentStreams != DEFAULT.maxConcurrentStreams) {
            list.add(new Setting(Setting.MAX_CONCURRENT_STREAMS, maxConcurrentStreams));
        }
        if (initialWindowSize != DEFAULT.initialWindowSize) {
            list.add(new Setting(Setting.INITIAL_WINDOW_SIZE, initialWindowSize));
        }
        if (maxFrameSize != DEFAULT.maxFrameSize) {
            list.add(new Setting(Setting.MAX_FRAME_SIZE, maxFrameSize));
        }
        if (maxHeaderListSize != DEFAULT.maxHeaderListSize) {
            list.add(new Setting(Setting.MAX_HEADER_LIST_SIZE, maxHeaderListSize));
        }
        return list;
    }
}
