package dev.weft.http.codec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.DictionaryFile;
import com.code_intelligence.jazzer.junit.FuzzTest;

/**
 * Coverage-guided fuzz targets for the three parsers that read bytes from the network: the request head, the
 * chunked body and the response head. Each states what a parser must do whatever it is given: answer "incomplete",
 * a result within its input, or a {@link ParseException} with one of its documented statuses (any other exception
 * is a bug); give the same answer again, from a fresh parser, from one that parsed something else before, and at an
 * offset in a larger array; never refuse or accept a strict prefix of what it accepts whole; and read back what it
 * accepted once written out again.
 *
 * <p>In the normal test run each target runs once per kept input in
 * {@code src/test/resources/dev/weft/http/codec/CodecFuzzTestInputs/<method>/} (the seeds, and every crash a
 * fuzzing run found, kept so that it stays fixed): a fraction of a second. With {@code JAZZER_FUZZ=1} the one target
 * chosen by {@code -Dtest} is fuzzed, guided by coverage, for its {@code maxDuration} or
 * {@code -Djazzer.max_duration}, with HTTP's tokens as its dictionary ({@code request.dict}, {@code response.dict},
 * {@code chunked.dict} beside the inputs); the server-core README's "Fuzzing" has the command.
 */
class CodecFuzzTest {
    private static final List<Integer> REQUEST_STATUSES = List.of(400, 414, 417, 431, 501, 505);
    private static final int MAX_REQUEST_LINE = 256;
    private static final int MAX_HEADER = 1024;
    private static final int MAX_RESPONSE_HEAD = 1024;
    private static final int MAX_TRAILERS = 256;

    @FuzzTest(maxDuration = "10m")
    @DictionaryFile(resourcePath = "request.dict")
    void requestHead(byte[] input) {
        Fields fields = new Fields();
        Outcome<RequestHead> whole = parseRequest(new RequestHeadParser(MAX_REQUEST_LINE, MAX_HEADER), input, 0,
                input.length, fields);
        if (whole.error != null) {
            assertTrue(REQUEST_STATUSES.contains(whole.error.status()),
                    whole.error.status() + " " + whole.error.getMessage());
            assertTrue(fields.isEmpty(), "fields of a refused head");
        } else if (whole.head == null) {
            assertTrue(fields.isEmpty(), "fields of an incomplete head");
        } else {
            RequestHead head = whole.head;
            assertTrue(head.end() > 0 && head.end() <= input.length, "end " + head.end() + " outside the input");
            assertFalse(head.method().isEmpty());
            assertTrue(head.target().startsWith("/") || head.target().equals("*") || head.target().contains("://"),
                    head.target());
            assertFalse(head.chunked() && head.contentLength() >= 0, "both framings");
            checkFields(fields);
            if (head.http11()) {
                assertEquals(1, fields.names().stream().filter("Host"::equals).count(), "one Host");
            }
            // Nothing of a head accepted whole is refused, or accepted, from a strict prefix.
            for (int to : new int[] {head.end() - 1, head.end() / 2}) {
                Fields none = new Fields();
                Outcome<RequestHead> prefix = parseRequest(new RequestHeadParser(MAX_REQUEST_LINE, MAX_HEADER),
                        input, 0, to, none);
                assertNull(prefix.error, () -> "a prefix of " + to + " bytes refused: " + prefix.error.getMessage());
                assertNull(prefix.head, "a prefix of " + to + " bytes accepted");
            }
            // What was accepted, written out again, reads back the same. Written out, a field "a:b" becomes "a: b",
            // so the head may grow past the limit it was within: the parser that reads it back has room.
            byte[] written = writeRequest(head, fields);
            Fields again = new Fields();
            Outcome<RequestHead> reread = parseRequest(new RequestHeadParser(MAX_REQUEST_LINE, 2 * MAX_HEADER),
                    written, 0, written.length, again);
            assertNull(reread.error, () -> "refused once written out: " + reread.error.getMessage() + " in "
                    + text(written));
            assertEquals(withEnd(head, written.length), reread.head, () -> text(written));
            assertEquals(fields, again);
        }
        // The same answer from a parser that parsed another head first, and at an offset in a larger array.
        RequestHeadParser used = new RequestHeadParser(MAX_REQUEST_LINE, MAX_HEADER);
        byte[] other = bytes("GET /x HTTP/1.1\r\nHost: h\r\nContent-Type: a/b\r\n\r\n");
        parseRequest(used, other, 0, other.length, new Fields());
        Fields second = new Fields();
        assertSameAnswer(whole, parseRequest(used, input, 0, input.length, second), 0);
        assertEquals(fields, second);
        Fields shifted = new Fields();
        RequestHeadParser fresh = new RequestHeadParser(MAX_REQUEST_LINE, MAX_HEADER);
        assertSameAnswer(whole, parseRequest(fresh, shifted(input, 7), 7, input.length + 7, shifted), 7);
        assertEquals(fields, shifted);
    }

    @FuzzTest(maxDuration = "10m")
    @DictionaryFile(resourcePath = "response.dict")
    void responseHead(FuzzedDataProvider data) {
        boolean headRequest = data.consumeBoolean();
        byte[] input = data.consumeRemainingAsBytes();
        Fields fields = new Fields();
        Outcome<ResponseHead> whole = parseResponse(new ResponseHeadParser(MAX_RESPONSE_HEAD), input, 0,
                input.length, headRequest, fields);
        if (whole.error != null) {
            assertEquals(502, whole.error.status(), whole.error.getMessage());
            assertTrue(fields.isEmpty(), "fields of a refused head");
        } else if (whole.head == null) {
            assertTrue(fields.isEmpty(), "fields of an incomplete head");
        } else {
            ResponseHead head = whole.head;
            assertTrue(head.end() > 0 && head.end() <= input.length, "end " + head.end() + " outside the input");
            assertTrue(head.status() >= 100 && head.status() <= 599, "status " + head.status());
            checkFields(fields);
            long lengths = fields.names().stream().filter("Content-Length"::equals).count();
            boolean te = fields.names().contains("Transfer-Encoding");
            assertFalse(te && lengths > 0, "both Content-Length and Transfer-Encoding accepted");
            switch (head.framing()) {
                case NONE -> assertTrue(headRequest || head.status() < 200 || head.status() == 204
                        || head.status() == 304, "no body for a " + head.status());
                case LENGTH -> assertTrue(head.contentLength() >= 0 && !te);
                case CHUNKED -> assertTrue(head.http11() && te && lengths == 0);
                case UNTIL_CLOSE -> assertFalse(head.keepAlive(), "a body until close on a kept connection");
            }
            for (int to : new int[] {head.end() - 1, head.end() / 2}) {
                Fields none = new Fields();
                Outcome<ResponseHead> prefix = parseResponse(new ResponseHeadParser(MAX_RESPONSE_HEAD), input, 0,
                        to, headRequest, none);
                assertNull(prefix.error, () -> "a prefix of " + to + " bytes refused: " + prefix.error.getMessage());
                assertNull(prefix.head, "a prefix of " + to + " bytes accepted");
            }
            byte[] written = writeResponse(head, fields);
            Fields again = new Fields();
            Outcome<ResponseHead> reread = parseResponse(new ResponseHeadParser(2 * MAX_RESPONSE_HEAD), written, 0,
                    written.length, headRequest, again);
            assertNull(reread.error, () -> "refused once written out: " + reread.error.getMessage() + " in "
                    + text(written));
            assertEquals(withEnd(head, written.length), reread.head, () -> text(written));
            assertEquals(fields, again);
        }
        ResponseHeadParser used = new ResponseHeadParser(MAX_RESPONSE_HEAD);
        byte[] other = bytes("HTTP/1.1 200 OK\r\nContent-Type: a/b\r\nContent-Length: 3\r\n\r\n");
        parseResponse(used, other, 0, other.length, false, new Fields());
        Fields second = new Fields();
        assertSameAnswer(whole, parseResponse(used, input, 0, input.length, headRequest, second), 0);
        assertEquals(fields, second);
        Fields shifted = new Fields();
        assertSameAnswer(whole, parseResponse(new ResponseHeadParser(MAX_RESPONSE_HEAD), shifted(input, 5), 5,
                input.length + 5, headRequest, shifted), 5);
        assertEquals(fields, shifted);
    }

    @FuzzTest(maxDuration = "10m")
    @DictionaryFile(resourcePath = "chunked.dict")
    void chunkedBody(FuzzedDataProvider data) {
        int step = data.consumeInt(1, 64);
        byte[] body = data.consumeRemainingAsBytes();
        ChunkedDecoder decoder = ChunkedDecoder.forRequests(MAX_TRAILERS);
        Outcome<ChunkedDecoderTest.Decoded> bulk = decode(decoder, body, Integer.MAX_VALUE);
        // The same bytes in other pieces decode the same, or are refused the same, by the same decoder reset.
        Outcome<ChunkedDecoderTest.Decoded> pieces = decode(decoder, body, step);
        Outcome<ChunkedDecoderTest.Decoded> trickled = decode(decoder, body, 1);
        for (Outcome<ChunkedDecoderTest.Decoded> o : List.of(bulk, pieces, trickled)) {
            if (o.error != null) {
                assertTrue(o.error.status() == 400 || o.error.status() == 431, o.error.status() + " "
                        + o.error.getMessage());
            }
        }
        assertEquals(bulk.error == null, pieces.error == null, () -> "refused in one way of arriving only: "
                + bulk.error + " / " + pieces.error);
        assertEquals(bulk.error == null, trickled.error == null, () -> "refused in one way of arriving only: "
                + bulk.error + " / " + trickled.error);
        assertEquals(bulk.head, pieces.head, "decoded otherwise in pieces of " + step);
        assertEquals(bulk.head, trickled.head, "decoded otherwise byte by byte");
        if (bulk.head == null) {
            return;
        }
        ChunkedDecoderTest.Decoded d = bulk.head;
        assertTrue(d.end() > 0 && d.end() <= body.length, "end " + d.end() + " outside the input");
        assertEquals(d.data().length(), d.bodyLength(), "body length against the data handed over");
        checkFields(d.trailers());
        // What was decoded, encoded again in one chunk, decodes to the same data and trailers. Written out, a
        // trailer "a:b" becomes "a: b", so the decoder that reads it back has room.
        byte[] encoded = encodeChunked(d);
        Outcome<ChunkedDecoderTest.Decoded> again = decode(ChunkedDecoder.forRequests(2 * MAX_TRAILERS), encoded,
                Integer.MAX_VALUE);
        assertNull(again.error, () -> "refused once encoded again: " + again.error.getMessage());
        assertEquals(new ChunkedDecoderTest.Decoded(d.data(), d.trailers(), encoded.length, d.bodyLength()),
                again.head);
    }

    /** A parser's answer: a result, null for "incomplete", or its refusal. */
    private record Outcome<T>(T head, ParseException error) {}

    private static Outcome<RequestHead> parseRequest(RequestHeadParser parser, byte[] buf, int from, int to,
                                                     Fields fields) {
        try {
            return new Outcome<>(parser.parse(buf, from, to, fields), null);
        } catch (ParseException e) {
            return new Outcome<>(null, e);
        }
    }

    private static Outcome<ResponseHead> parseResponse(ResponseHeadParser parser, byte[] buf, int from, int to,
                                                       boolean headRequest, Fields fields) {
        try {
            return new Outcome<>(parser.parse(buf, from, to, headRequest, fields), null);
        } catch (ParseException e) {
            return new Outcome<>(null, e);
        }
    }

    private static Outcome<ChunkedDecoderTest.Decoded> decode(ChunkedDecoder decoder, byte[] body, int step) {
        try {
            return new Outcome<>(ChunkedDecoderTest.decode(decoder, body, step), null);
        } catch (ParseException e) {
            return new Outcome<>(null, e);
        }
    }

    /** The same answer as {@code expected}, the head's end moved by {@code offset}; refusals with the same status. */
    private static void assertSameAnswer(Outcome<?> expected, Outcome<?> actual, int offset) {
        if (expected.error != null) {
            assertTrue(actual.error != null, () -> "refused once (" + expected.error.getMessage()
                    + "), not again: " + actual.head);
            assertEquals(expected.error.status(), actual.error.status(), actual.error.getMessage());
            assertEquals(expected.error.getMessage(), actual.error.getMessage());
            return;
        }
        assertNull(actual.error, () -> "accepted once, refused again: " + actual.error.getMessage());
        Object head = expected.head;
        if (head instanceof RequestHead r) {
            head = withEnd(r, r.end() + offset);
        } else if (head instanceof ResponseHead r) {
            head = withEnd(r, r.end() + offset);
        }
        assertEquals(head, actual.head);
    }

    private static RequestHead withEnd(RequestHead h, int end) {
        return new RequestHead(h.method(), h.target(), h.http11(), h.host(), h.contentLength(), h.chunked(),
                h.keepAlive(), h.expectContinue(), end);
    }

    private static ResponseHead withEnd(ResponseHead h, int end) {
        return new ResponseHead(h.http11(), h.status(), h.reason(), h.framing(), h.contentLength(), h.keepAlive(),
                end);
    }

    private static byte[] writeRequest(RequestHead head, Fields fields) {
        StringBuilder out = new StringBuilder(head.method()).append(' ').append(head.target()).append(' ')
                .append(head.version()).append("\r\n");
        return writeFields(out, fields);
    }

    private static byte[] writeResponse(ResponseHead head, Fields fields) {
        StringBuilder out = new StringBuilder(head.http11() ? "HTTP/1.1 " : "HTTP/1.0 ").append(head.status())
                .append(' ').append(head.reason()).append("\r\n");
        return writeFields(out, fields);
    }

    private static byte[] writeFields(StringBuilder out, Fields fields) {
        for (int i = 0; i < fields.size(); i++) {
            out.append(fields.names().get(i)).append(": ").append(fields.values().get(i)).append("\r\n");
        }
        return bytes(out.append("\r\n").toString());
    }

    private static byte[] encodeChunked(ChunkedDecoderTest.Decoded d) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] data = d.data().getBytes(StandardCharsets.ISO_8859_1);
        if (data.length > 0) {
            out.writeBytes(bytes(Integer.toHexString(data.length) + "\r\n"));
            out.writeBytes(data);
            out.writeBytes(bytes("\r\n"));
        }
        StringBuilder tail = new StringBuilder("0\r\n");
        Fields trailers = d.trailers();
        for (int i = 0; i < trailers.size(); i++) {
            tail.append(trailers.names().get(i)).append(": ").append(trailers.values().get(i)).append("\r\n");
        }
        out.writeBytes(bytes(tail.append("\r\n").toString()));
        return out.toByteArray();
    }

    /** Only token characters in a name; no control character but tab in a value. */
    private static void checkFields(Fields fields) {
        for (int i = 0; i < fields.size(); i++) {
            String name = fields.names().get(i);
            assertFalse(name.isEmpty(), "an empty field name");
            for (char c : name.toCharArray()) {
                assertTrue(c > 0x20 && c < 0x7F && c != ':', () -> "bad name character accepted in " + name);
            }
            String value = fields.values().get(i);
            for (char c : value.toCharArray()) {
                assertTrue(c >= 0x20 && c != 0x7F || c == '\t', () -> "control character accepted in " + value);
            }
            boolean trimmed = value.isEmpty()
                    || !whitespace(value.charAt(0)) && !whitespace(value.charAt(value.length() - 1));
            assertTrue(trimmed, () -> "whitespace around the value " + value);
        }
    }

    private static boolean whitespace(char c) {
        return c == ' ' || c == '\t';
    }

    private static byte[] shifted(byte[] input, int offset) {
        byte[] out = new byte[input.length + offset + 3];
        java.util.Arrays.fill(out, (byte) 'x');
        System.arraycopy(input, 0, out, offset, input.length);
        return out;
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    private static String text(byte[] b) {
        StringBuilder s = new StringBuilder();
        for (byte x : b) {
            int c = x & 0xFF;
            s.append(c >= 0x20 && c < 0x7F ? String.valueOf((char) c) : String.format("\\x%02x", c));
        }
        return s.toString();
    }
}
