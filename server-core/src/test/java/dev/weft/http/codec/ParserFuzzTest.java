package dev.weft.http.codec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Random;

import org.junit.jupiter.api.Test;

import dev.weft.http.Headers;

/**
 * Randomized inputs: mutated valid requests and random bytes. The parser must only ever return INCOMPLETE, a head
 * end within the input, or a ParseException with one of the documented statuses; a head it accepts must satisfy the
 * invariants the connection relies on. The seed is printed so that a failure can be replayed.
 */
class ParserFuzzTest {
    private static final List<Integer> STATUSES = List.of(400, 414, 417, 431, 501, 505);
    private static final String[] SEEDS = {
        "GET /plaintext HTTP/1.1\r\nHost: localhost:8080\r\nAccept: */*\r\n\r\n",
        "POST /orders?x=1 HTTP/1.1\r\nHost: h\r\nContent-Length: 12\r\nContent-Type: application/json\r\n\r\n",
        "PUT /a HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\nExpect: 100-continue\r\n\r\n",
        "GET http://example.com/x HTTP/1.0\r\nConnection: keep-alive\r\n\r\n",
    };
    private static final byte[] INTERESTING = " \t\r\n:;,/*?#@\u0000\u007f\u00ff0aZ-".getBytes(StandardCharsets.ISO_8859_1);

    @Test
    void neverMisbehavesOnMutatedRequests() {
        long seed = System.nanoTime();
        Random random = new Random(seed);
        RequestHeadParser parser = new RequestHeadParser(128, 512);
        RequestHead head = new RequestHead();
        ChunkSizeParser chunk = new ChunkSizeParser();
        for (int i = 0; i < 50_000; i++) {
            byte[] input = mutate(random, SEEDS[random.nextInt(SEEDS.length)].getBytes(StandardCharsets.ISO_8859_1));
            int to = random.nextInt(input.length + 1);
            try {
                int end = parser.parse(input, 0, to, head);
                if (end != RequestHeadParser.INCOMPLETE) {
                    assertTrue(end > 0 && end <= to, "end " + end + " outside the input, seed " + seed);
                    checkInvariants(head, seed);
                }
            } catch (ParseException e) {
                assertTrue(STATUSES.contains(e.status()), e.status() + " " + e.getMessage() + ", seed " + seed);
            } catch (RuntimeException e) {
                fail("parser crashed on " + new String(input, 0, to, StandardCharsets.ISO_8859_1) + ", seed " + seed,
                        e);
            }
            try {
                int end = chunk.parse(input, 0, to);
                assertTrue(end == RequestHeadParser.INCOMPLETE || (end > 0 && end <= to));
                assertTrue(chunk.size() >= 0);
            } catch (ParseException e) {
                assertEquals(400, e.status());
            }
        }
    }

    private static void checkInvariants(RequestHead head, long seed) {
        assertTrue(head.method != null && !head.method.isEmpty(), "seed " + seed);
        assertTrue(head.target.startsWith("/") || head.target.equals("*") || head.target.contains("://"),
                head.target + ", seed " + seed);
        assertTrue(!(head.chunked && head.contentLength >= 0), "both framings, seed " + seed);
        Headers h = head.headers;
        for (int i = 0; i < h.size(); i++) {
            for (char c : (h.name(i) + h.value(i)).toCharArray()) {
                assertTrue(c >= 0x20 && c != 0x7F || c == '\t', "control char accepted, seed " + seed);
            }
        }
        if (head.isHttp11()) {
            assertEquals(1, h.count("Host"), "seed " + seed);
        }
    }

    private static byte[] mutate(Random random, byte[] b) {
        byte[] out = b.clone();
        int edits = 1 + random.nextInt(3);
        for (int e = 0; e < edits; e++) {
            int at = random.nextInt(out.length);
            switch (random.nextInt(4)) {
                case 0 -> out[at] = INTERESTING[random.nextInt(INTERESTING.length)];
                case 1 -> out[at] = (byte) random.nextInt(256);
                case 2 -> {
                    byte[] shorter = new byte[out.length - 1];
                    System.arraycopy(out, 0, shorter, 0, at);
                    System.arraycopy(out, at + 1, shorter, at, out.length - at - 1);
                    out = shorter;
                }
                default -> {
                    byte[] longer = new byte[out.length + 1];
                    System.arraycopy(out, 0, longer, 0, at);
                    longer[at] = INTERESTING[random.nextInt(INTERESTING.length)];
                    System.arraycopy(out, at, longer, at + 1, out.length - at);
                    out = longer;
                }
            }
        }
        return out;
    }
}
