package dev.weft.http.h2;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;

import org.junit.jupiter.api.Test;

class TablesTest {
    @Test
    void theStaticTableIsAppendixA() {
        assertEquals(61, StaticTable.LENGTH);
        assertEquals(":authority", StaticTable.name(1));
        assertEquals("", StaticTable.value(1));
        assertEquals("GET", StaticTable.value(2));
        assertEquals(":status", StaticTable.name(14));
        assertEquals("500", StaticTable.value(14));
        assertEquals("gzip, deflate", StaticTable.value(16));
        assertEquals("user-agent", StaticTable.name(58));
        assertEquals("www-authenticate", StaticTable.name(61));
    }

    @Test
    void findsAStaticNameWhateverItsCase() {
        assertEquals(31, StaticTable.indexOfName("content-type"));
        assertEquals(31, StaticTable.indexOfName("Content-Type"));
        assertEquals(8, StaticTable.indexOfName(":status"), "the first of its seven entries");
        assertEquals(2, StaticTable.indexOfName(":METHOD"));
        assertEquals(0, StaticTable.indexOfName("x-request-id"));
        assertEquals(0, StaticTable.indexOfName("content-typ"));
        for (int i = 1; i <= StaticTable.LENGTH; i++) {
            int first = StaticTable.indexOfName(StaticTable.name(i));
            assertEquals(StaticTable.name(i), StaticTable.name(first));
            assertEquals(true, first <= i);
        }
    }

    /** RFC 7541 section 4: sizes of 32 plus name and value, eviction from the oldest, and the oversized entry. */
    @Test
    void theDynamicTableEvictsTheOldestEntries() {
        DynamicTable table = new DynamicTable(100);
        table.add("a", "1"); // 34
        table.add("b", "2"); // 34
        assertEquals(68, table.size());
        table.add("c", "3"); // 34: 102 > 100, so "a" goes
        assertEquals(List.of("c", "b"), names(table));
        assertEquals(68, table.size());
        table.add("dd", "x".repeat(66)); // exactly 100: everything else goes
        assertEquals(List.of("dd"), names(table));
        assertEquals(100, table.size());
        table.add("e", "x".repeat(68)); // 101 > 100: the table empties (section 4.4)
        assertEquals(0, table.length());
        assertEquals(0, table.size());
        table.add("f", "6");
        table.add("g", "7");
        table.setMaxSize(40); // section 4.3
        assertEquals(List.of("g"), names(table));
        table.setMaxSize(0);
        assertEquals(0, table.length());
        assertThrows(IndexOutOfBoundsException.class, () -> table.name(0));
    }

    @Test
    void theDynamicTableGrowsAndWrapsAround() {
        DynamicTable table = new DynamicTable(4096);
        for (int i = 0; i < 1000; i++) {
            table.add("n" + i, "v");
        }
        // each entry is 32 + 2 to 4 + 1 octets: the newest fit, the oldest are gone
        assertEquals("n999", table.name(0));
        assertEquals("v", table.value(0));
        long size = 0;
        for (int i = 0; i < table.length(); i++) {
            assertEquals("n" + (999 - i), table.name(i));
            size += DynamicTable.entrySize(table.name(i), table.value(i));
        }
        assertEquals(size, table.size());
        assertEquals(true, size <= 4096 && size > 4096 - 37);
        assertEquals(3, table.indexOf("N996", "v"), "names compared without regard to case");
        assertEquals(-1, table.indexOf("n996", "w"));
        assertEquals(2, table.indexOfName("n997"));
        assertEquals(-1, table.indexOfName("n0"));
    }

    private static List<String> names(DynamicTable table) {
        return java.util.stream.IntStream.range(0, table.length()).mapToObj(table::name).toList();
    }
}
