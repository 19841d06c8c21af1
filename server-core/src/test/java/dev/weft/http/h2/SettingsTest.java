package dev.weft.http.h2;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;

import org.junit.jupiter.api.Test;

class SettingsTest {
    @Test
    void startsAtTheInitialValuesOfSection652() {
        assertEquals(new Settings(4096, true, Integer.MAX_VALUE, 65_535, 16_384, Integer.MAX_VALUE),
                Settings.DEFAULT);
    }

    @Test
    void appliesSettingsInOrderTheLastValueWinning() {
        Settings s = Settings.DEFAULT.with(List.of(new Setting(Setting.INITIAL_WINDOW_SIZE, 1),
                new Setting(Setting.MAX_FRAME_SIZE, 1 << 20), new Setting(Setting.INITIAL_WINDOW_SIZE, 2),
                new Setting(Setting.ENABLE_PUSH, 0), new Setting(Setting.HEADER_TABLE_SIZE, 0),
                new Setting(Setting.MAX_CONCURRENT_STREAMS, 100), new Setting(Setting.MAX_HEADER_LIST_SIZE, 8192)));
        assertEquals(new Settings(0, false, 100, 2, 1 << 20, 8192), s);
        assertSame(s, s.with(new Setting(0x8, 1)), "an unknown setting changes nothing");
    }

    @Test
    void keepsValuesAboveTwoToTheThirtyOneAsItsLargestInt() {
        Settings s = Settings.DEFAULT.with(new Setting(Setting.HEADER_TABLE_SIZE, 0xffff_ffffL));
        assertEquals(Integer.MAX_VALUE, s.headerTableSize());
    }

    @Test
    void checksTheRangesOfSection652() {
        assertNull(Setting.check(Setting.ENABLE_PUSH, 1));
        assertEquals(ErrorCode.PROTOCOL_ERROR, Setting.check(Setting.ENABLE_PUSH, 2).code());
        assertNull(Setting.check(Setting.INITIAL_WINDOW_SIZE, Integer.MAX_VALUE));
        assertEquals(ErrorCode.FLOW_CONTROL_ERROR, Setting.check(Setting.INITIAL_WINDOW_SIZE, 1L << 31).code());
        assertNull(Setting.check(Setting.MAX_FRAME_SIZE, 16_384));
        assertNull(Setting.check(Setting.MAX_FRAME_SIZE, 16_777_215));
        assertEquals(ErrorCode.PROTOCOL_ERROR, Setting.check(Setting.MAX_FRAME_SIZE, 16_383).code());
        assertEquals(ErrorCode.PROTOCOL_ERROR, Setting.check(Setting.MAX_FRAME_SIZE, 16_777_216).code());
        assertNull(Setting.check(Setting.HEADER_TABLE_SIZE, 0xffff_ffffL));
        assertNull(Setting.check(0x1234, 0xffff_ffffL));
    }

    @Test
    void refusesAnInvalidConfiguration() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new Settings(4096, false, 100, 65_535, 1024, 16_384));
        assertEquals("SETTINGS_MAX_FRAME_SIZE must be between 2^14 and 2^24-1, was 1024", e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new Settings(4096, false, -1, 65_535, 16_384, 16_384));
    }
}
