package dev.weft.cache.codec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.nio.charset.StandardCharsets;
import java.util.List;

import org.junit.jupiter.api.Test;

import dev.weft.cache.Entry;

class EntryFormatTest {
    record Item(String name, List<Integer> sizes) {}

    private final EntryFormat<Item> format = new EntryFormat<>(JsonCodec.of(Item.class));

    @Test
    void valuesAndNullMarkersRoundTripWithTheirMetadata() {
        Entry<Item> value = new Entry<>(new Item("shirt", List.of(1, 2)), 1_764_000_000_123L, 42);
        assertEquals(value, format.decode(format.encode(value)));
        Entry<Item> nothing = new Entry<>(null, 1_764_000_000_999L, 7);
        assertEquals(nothing, format.decode(format.encode(nothing)));
    }

    @Test
    void bytesOfAnotherFormatReadAsAMiss() {
        assertNull(format.decode(null));
        assertNull(format.decode(new byte[3]));
        assertNull(format.decode("{\"name\":\"legacy\"}".getBytes(StandardCharsets.UTF_8)));
        byte[] wrongShape = new EntryFormat<>(JsonCodec.of(String.class)).encode(new Entry<>("text", 1L, 1));
        assertNull(format.decode(wrongShape), "a value of another class reads as a miss");
    }

    @Test
    void keyCodecsRoundTrip() {
        assertEquals(42L, KeyCodec.longs().decode(KeyCodec.longs().encode(42L)));
        java.util.UUID id = java.util.UUID.randomUUID();
        assertEquals(id, KeyCodec.uuids().decode(KeyCodec.uuids().encode(id)));
    }
}
