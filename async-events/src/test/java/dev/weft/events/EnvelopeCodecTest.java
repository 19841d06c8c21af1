package dev.weft.events;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Instant;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.node.ObjectNode;

class EnvelopeCodecTest {

    @Test
    void roundTripsEveryField() {
        ObjectNode payload = EnvelopeCodec.mapper().createObjectNode().put("orderId", 42).put("total", "19.90");
        Envelope e = new Envelope("id-1", "order.created", 2, Instant.parse("2026-11-28T06:00:00.123456Z"),
                "req-7", payload);
        Envelope back = EnvelopeCodec.decode(EnvelopeCodec.encode(e));
        assertEquals(e, back);
    }

    @Test
    void writesTheDocumentedShape() {
        Envelope e = new Envelope("id-1", "order.created", 1, Instant.parse("2026-11-28T06:00:00Z"), null,
                EnvelopeCodec.mapper().createObjectNode().put("orderId", 1));
        String json = new String(EnvelopeCodec.encode(e), StandardCharsets.UTF_8);
        assertEquals("{\"id\":\"id-1\",\"type\":\"order.created\",\"version\":1,"
                + "\"occurredAt\":\"2026-11-28T06:00:00Z\",\"correlationId\":null,\"payload\":{\"orderId\":1}}", json);
        assertNull(EnvelopeCodec.decode(json.getBytes(StandardCharsets.UTF_8)).correlationId());
    }

    @Test
    void namesEveryBadField() {
        MalformedEventException e = assertThrows(MalformedEventException.class, () -> EnvelopeCodec.decode(
                "{\"type\":7,\"version\":\"x\",\"occurredAt\":\"yesterday\"}".getBytes(StandardCharsets.UTF_8)));
        for (String field : new String[] {"id", "type", "version", "occurredAt", "payload"}) {
            assertTrue(e.getMessage().contains(field + ":"), e.getMessage());
        }
    }

    @Test
    void refusesNonJsonAndInvalidValues() {
        assertThrows(MalformedEventException.class, () -> EnvelopeCodec.decode("not json".getBytes()));
        assertThrows(MalformedEventException.class, () -> EnvelopeCodec.decode("[1]".getBytes()));
        MalformedEventException e = assertThrows(MalformedEventException.class, () -> EnvelopeCodec.decode(
                ("{\"id\":\"a\",\"type\":\"order..created\",\"version\":0,\"occurredAt\":\"2026-11-28T06:00:00Z\","
                        + "\"payload\":{}}").getBytes()));
        assertTrue(e.getMessage().contains("type"), e.getMessage());
    }

    @Test
    void envelopeOfGivesFreshIds() {
        Envelope a = Envelope.of("order.created", 1, EnvelopeCodec.mapper().createObjectNode(), null);
        Envelope b = Envelope.of("order.created", 1, EnvelopeCodec.mapper().createObjectNode(), null);
        assertTrue(!a.id().equals(b.id()));
        assertThrows(IllegalArgumentException.class,
                () -> Envelope.of("order created", 1, EnvelopeCodec.mapper().createObjectNode(), null));
    }
}
