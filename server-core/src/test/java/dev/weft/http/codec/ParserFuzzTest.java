package dev.weft.http.codec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Random;

import org.junit.jupiter.api.Test;

import dev.weft.testkit.Seeds;

/**
 * Randomized inputs for the three parsers: mutated valid requests, mutated valid responses, and random chunked
 * bodies, whole and mutated. A parser may only ever answer "incomplete", a result within the input, or a
 * {@link ParseException} with one of its documented statuses; what it accepts must satisfy the invariants the
 * connection relies on; and a chunked body must decode to the same bytes whatever pieces it arrives in. The seed is
 * printed; {@code -Dweft.test.seed=N} replays it.
 */
class ParserFuzzTest {
    private static final int ROUNDS = 50_000;
    private static final List<Integer> REQUEST_STATUSES = List.of(400, 414, 417, 431, 501, 505);
    private static final String[] REQUESTS = {
        "GET /plaintext HTTP/1.1\r\nHost: localhost:8080\r\nAccept: */*\r\n\r\n",
        "POST /orders?x=1 HTTP/1.1\r\nHost: h\r\nContent-Length: 12\r\nContent-Type: application/json\r\n\r\n",
        "PUT /a HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\nExpect: 100-continue\r\n\r\n",
        "GET http://example.com/x HTTP/1.0\r\nConnection: keep-alive\r\n\r\n",
    };
    private static final String[] RESPONSES = {
        "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 13\r\n\r\n",
        "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nConnection: keep-alive\r\n\r\n",
        "HTTP/1.0 404 Not Found\r\nConnection: keep-alive\r\nContent-Length: 0\r\n\r\n",
        "HTTP/1.1 304 Not Modified\r\nETag: \"x\"\r\n\r\n",
        "HTTP/1.1 100 Continue\r\n\r\n",
    };
    private static final byte[] INTERESTING =
            " \t\r\n:;,/*?#@+-\u0000\u007f\u00ff0aZ".getBytes(StandardCharsets.ISO_8859_1);

    @Test
    void requestParserNeverMisbehaves() {
        long seed = Seeds.seed("ParserFuzzTest.requestParserNeverMisbehaves");
        Random random = new Random(seed);
        RequestHeadParser parser = new RequestHeadParser(128, 512);
        Fields fields = new Fields();
        for (int i = 0; i < ROUNDS; i++) {
            byte[] input = mutate(random, bytes(REQUESTS[random.nextInt(REQUESTS.length)]));
            int to = random.nextInt(input.length + 1);
            fields.clear();
            try {
                RequestHead head = parser.parse(input, 0, to, fields);
                if (head == null) {
                    assertTrue(fields.isEmpty(), "fields of an incomplete head, seed " + seed);
                    continue;
                }
                assertTrue(head.end() > 0 && head.end() <= to, "end " + head.end() + " outside, seed " + seed);
                assertFalse(head.method().isEmpty(), "seed " + seed);
                assertTrue(head.target().startsWith("/") || head.target().equals("*")
                        || head.target().contains("://"), head.target() + ", seed " + seed);
                assertFalse(head.chunked() && head.contentLength() >= 0, "both framings, seed " + seed);
                checkFields(fields, seed);
                if (head.http11()) {
                    assertEquals(1, fields.names().stream().filter("Host"::equals).count(), "seed " + seed);
                }
            } catch (ParseException e) {
                assertTrue(REQUEST_STATUSES.contains(e.status()), e.status() + " " + e.getMessage() + ", seed " + seed);
                assertTrue(fields.isEmpty(), "fields of a refused head, seed " + seed);
            } catch (RuntimeException e) {
                fail("request parser crashed on " + text(input, to) + ", seed " + seed, e);
            }
        }
    }

    @Test
    void responseParserNeverMisbehaves() {
        long seed = Seeds.seed("ParserFuzzTest.responseParserNeverMisbehaves");
        Random random = new Random(seed);
        ResponseHeadParser parser = new ResponseHeadParser(512);
        Fields fields = new Fields();
        for (int i = 0; i < ROUNDS; i++) {
            byte[] input = mutate(random, bytes(RESPONSES[random.nextInt(RESPONSES.length)]));
            int to = random.nextInt(input.length + 1);
            boolean headRequest = random.nextInt(8) == 0;
            fields.clear();
            try {
                ResponseHead head = parser.parse(input, 0, to, headRequest, fields);
                if (head == null) {
                    assertTrue(fields.isEmpty(), "fields of an incomplete head, seed " + seed);
                    continue;
                }
                assertTrue(head.end() > 0 && head.end() <= to, "end " + head.end() + " outside, seed " + seed);
                assertTrue(head.status() >= 100 && head.status() <= 599, head.status() + ", seed " + seed);
                checkFields(fields, seed);
                long lengths = fields.names().stream().filter("Content-Length"::equals).count();
                boolean te = fields.names().contains("Transfer-Encoding");
                assertFalse(te && lengths > 0, "both Content-Length and Transfer-Encoding accepted, seed " + seed);
                switch (head.framing()) {
                    case NONE -> assertTrue(headRequest || head.status() < 200 || head.status() == 204
                            || head.status() == 304, "no body for a " + head.status() + ", seed " + seed);
                    case LENGTH -> assertTrue(head.contentLength() >= 0 && !te, "seed " + seed);
                    case CHUNKED -> assertTrue(head.http11() && te && lengths == 0, "seed " + seed);
                    case UNTIL_CLOSE -> assertFalse(head.keepAlive(), "seed " + seed);
                }
            } catch (ParseException e) {
                assertEquals(502, e.status(), e.getMessage() + ", seed " + seed);
                assertTrue(fields.isEmpty(), "fields of a refused head, seed " + seed);
            } catch (RuntimeException e) {
                fail("response parser crashed on " + text(input, to) + ", seed " + seed, e);
            }
        }
    }

    @Test
    void chunkedDecoderAgreesWithItselfAndTheEncoder() throws ParseException {
        long seed = Seeds.seed("ParserFuzzTest.chunkedDecoderAgreesWithItselfAndTheEncoder");
        Random random = new Random(seed);
        ChunkedDecoder decoder = ChunkedDecoder.forRequests(256);
        for (int i = 0; i < ROUNDS / 5; i++) {
            ByteArrayOutputStream data = new ByteArrayOutputStream();
            byte[] body = chunkedBody(random, data);
            ChunkedDecoderTest.Decoded whole = ChunkedDecoderTest.decode(decoder, body, 1 + random.nextInt(64));
            assertEquals(data.toString(StandardCharsets.ISO_8859_1), Objects.requireNonNull(whole).data(),
                    "seed " + seed);
            assertEquals(body.length, whole.end(), "seed " + seed);

            byte[] mutated = mutate(random, body);
            ChunkedDecoderTest.Decoded bulk = null;
            ParseException bulkError = null;
            try {
                bulk = ChunkedDecoderTest.decode(decoder, mutated, Integer.MAX_VALUE);
            } catch (ParseException e) {
                assertTrue(e.status() == 400 || e.status() == 431, e.status() + ", seed " + seed);
                bulkError = e;
            } catch (RuntimeException e) {
                fail("chunked decoder crashed on " + text(mutated, mutated.length) + ", seed " + seed, e);
            }
            ChunkedDecoderTest.Decoded trickled = null;
            try {
                trickled = ChunkedDecoderTest.decode(decoder, mutated, 1);
            } catch (ParseException e) {
                assertTrue(bulkError != null, "refused byte by byte, accepted at once: " + e.getMessage()
                        + ", seed " + seed);
                continue;
            }
            assertTrue(bulkError == null, "accepted byte by byte, refused at once: " + bulkError + ", seed " + seed);
            assertEquals(bulk, trickled, "the same body in other pieces decoded otherwise, seed " + seed);
        }
    }

    /** A random valid chunked body of random data; the data is written to {@code data}. */
    private static byte[] chunkedBody(Random random, ByteArrayOutputStream data) {
        StringBuilder body = new StringBuilder();
        int chunks = random.nextInt(5);
        for (int c = 0; c < chunks; c++) {
            int size = 1 + random.nextInt(40);
            String hex = Integer.toHexString(size);
            body.append(random.nextBoolean() ? hex : hex.toUpperCase()).append(random.nextInt(4) == 0 ? ";x=y" : "")
                    .append("\r\n");
            for (int b = 0; b < size; b++) {
                char ch = (char) random.nextInt(256);
                body.append(ch);
                data.write(ch);
            }
            body.append("\r\n");
        }
        body.append("0\r\n");
        if (random.nextBoolean()) {
            body.append("Checksum: ").append(random.nextInt(1000)).append("\r\n");
        }
        body.append("\r\n");
        return bytes(body.toString());
    }

    private static void checkFields(Fields fields, long seed) {
        for (int i = 0; i < fields.size(); i++) {
            String name = fields.names().get(i);
            assertFalse(name.isEmpty(), "seed " + seed);
            for (char c : name.toCharArray()) {
                assertTrue(c > 0x20 && c < 0x7F && c != ':', "bad name character accepted, seed " + seed);
            }
            for (char c : fields.values().get(i).toCharArray()) {
                assertTrue(c >= 0x20 && c != 0x7F || c == '\t', "control character accepted, seed " + seed);
            }
        }
    }

    private static byte[] mutate(Random random, byte[] b) {
        byte[] out = b.clone();
        int edits = 1 + random.nextInt(3);
        for (int e = 0; e < edits && out.length > 0; e++) {
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

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    private static String text(byte[] b, int to) {
        List<String> escaped = new ArrayList<>();
        for (int i = 0; i < to; i++) {
            int c = b[i] & 0xFF;
            escaped.add(c >= 0x20 && c < 0x7F ? String.valueOf((char) c) : String.format("\\x%02x", c));
        }
        return String.join("", escaped);
    }
}
