package dev.weft.http.codec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class RequestHeadParserTest {
    private final RequestHeadParser parser = new RequestHeadParser(256, 1024);
    private final Fields fields = new Fields();
    private RequestHead head;

    /** Parses {@code s}; returns the head's end, or -1 when incomplete. */
    private int parse(String s) throws ParseException {
        byte[] b = s.getBytes(StandardCharsets.ISO_8859_1);
        fields.clear();
        head = parser.parse(b, 0, b.length, fields);
        if (head == null) {
            assertEquals(0, fields.size(), "no fields are handed over for an incomplete head");
            return -1;
        }
        return head.end();
    }

    private static String crlf(String s) {
        return s.replace("|", "\r\n").replace("<LF>", "\n").replace("<CR>", "\r");
    }

    @Test
    void parsesASimpleRequest() throws ParseException {
        String req = crlf("GET /a/b?c=d HTTP/1.1|Host: example.com|User-Agent:  curl/8 |X-Custom: v|v2|");
        req = crlf("GET /a/b?c=d HTTP/1.1|Host: example.com|User-Agent:  curl/8 |X-Custom: v|") + "\r\n";
        int end = parse(req);
        assertEquals(req.length(), end);
        assertEquals("GET", head.method());
        assertEquals("/a/b?c=d", head.target());
        assertTrue(head.http11());
        assertEquals("HTTP/1.1", head.version());
        assertEquals(List.of("Host: example.com", "User-Agent: curl/8", "X-Custom: v"), fields,
                "well-known names in canonical case, others as sent; values without surrounding whitespace");
        assertTrue(head.keepAlive());
        assertFalse(head.hasBody());
        assertFalse(head.isHead());
    }

    @Test
    void reportsIncompleteHeadsAtEveryCut() throws ParseException {
        String req = crlf("POST /x HTTP/1.1|Host: h|Content-Length: 3||abc");
        int headEnd = req.indexOf("abc");
        for (int cut = 0; cut < headEnd; cut++) {
            assertEquals(-1, parse(req.substring(0, cut)), "cut at " + cut);
        }
        assertEquals(headEnd, parse(req));
        assertEquals(3, head.contentLength());
    }

    @Test
    void reusesStringsAcrossRequestsOfAConnection() throws ParseException {
        String req = crlf("GET /same HTTP/1.1|Host: h|Accept: */*||");
        parse(req);
        String method = head.method();
        String target = head.target();
        String accept = fields.value("Accept");
        parse(req);
        assertSame(method, head.method());
        assertSame(target, head.target());
        assertSame(accept, fields.value("Accept"));
    }

    @Test
    void skipsEmptyLinesBeforeTheRequestLine() throws ParseException {
        String req = crlf("||GET / HTTP/1.1|Host: h||");
        assertEquals(req.length(), parse(req));
        assertEquals("/", head.target());
    }

    @Test
    void acceptsAbsoluteFormAndAsteriskForm() throws ParseException {
        parse(crlf("GET http://example.com/p?q HTTP/1.1|Host: other||"));
        assertEquals("http://example.com/p?q", head.target());
        parse(crlf("OPTIONS * HTTP/1.1|Host: h||"));
        assertEquals("*", head.target());
    }

    @Test
    void appliesHttp10KeepAliveRules() throws ParseException {
        parse(crlf("GET / HTTP/1.0||"));
        assertFalse(head.keepAlive(), "1.0 closes by default, and needs no Host");
        assertEquals("HTTP/1.0", head.version());
        parse(crlf("GET / HTTP/1.0|Connection: Keep-Alive||"));
        assertTrue(head.keepAlive());
        parse(crlf("GET / HTTP/1.1|Host: h|Connection: keep-alive, close||"));
        assertFalse(head.keepAlive());
        parse(crlf("GET / HTTP/1.1|Host: h|Connection: upgrade|Connection: close||"));
        assertFalse(head.keepAlive(), "every Connection field counts");
    }

    @Test
    void readsFramingHeaders() throws ParseException {
        parse(crlf("POST / HTTP/1.1|Host: h|Transfer-Encoding: chunked||"));
        assertTrue(head.chunked());
        assertEquals(RequestHead.NO_LENGTH, head.contentLength());
        parse(crlf("POST / HTTP/1.1|Host: h|Content-Length: 5|Content-Length: 5|Expect: 100-continue||"));
        assertEquals(5, head.contentLength());
        assertTrue(head.expectContinue());
        parse(crlf("HEAD / HTTP/1.1|Host: h||"));
        assertTrue(head.isHead());
        parse(crlf("head / HTTP/1.1|Host: h||"));
        assertFalse(head.isHead(), "methods are case-sensitive");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = ';', value = {
        "missing Host; GET / HTTP/1.1||; 400",
        "duplicate Host; GET / HTTP/1.1|Host: a|Host: b||; 400",
        "Host with a space; GET / HTTP/1.1|Host: a b||; 400",
        "CL with TE; POST / HTTP/1.1|Host: h|Content-Length: 3|Transfer-Encoding: chunked||; 400",
        "differing CL; POST / HTTP/1.1|Host: h|Content-Length: 3|Content-Length: 4||; 400",
        "malformed CL; POST / HTTP/1.1|Host: h|Content-Length: 3x||; 400",
        "negative CL; POST / HTTP/1.1|Host: h|Content-Length: -1||; 400",
        "CL list; POST / HTTP/1.1|Host: h|Content-Length: 3, 3||; 400",
        "obs-fold; GET / HTTP/1.1|Host: h|X-A: a|  folded||; 400",
        "space before colon; GET / HTTP/1.1|Host : h||; 400",
        "tab before colon; GET / HTTP/1.1|Host\t: h||; 400",
        "control char in value; GET / HTTP/1.1|Host: h|X-A: a\u0001b||; 400",
        "DEL in value; GET / HTTP/1.1|Host: h|X-A: a\u007Fb||; 400",
        "NUL in name; GET / HTTP/1.1|Host: h|X\u0000A: b||; 400",
        "no colon; GET / HTTP/1.1|Host: h|Nonsense||; 400",
        "empty name; GET / HTTP/1.1|Host: h|: v||; 400",
        "bare LF in headers; GET / HTTP/1.1|Host: h<LF>X: y||; 400",
        "bare CR in value; GET / HTTP/1.1|Host: h|X: a<CR>b||; 400",
        "bare LF after request line; GET / HTTP/1.1<LF>Host: h||; 400",
        "lower-case version; GET / http/1.1|Host: h||; 400",
        "two spaces; GET  / HTTP/1.1|Host: h||; 400",
        "no target; GET HTTP/1.1|Host: h||; 400",
        "control char in target; GET /a\u0001b HTTP/1.1|Host: h||; 400",
        "relative target; GET a/b HTTP/1.1|Host: h||; 400",
        "asterisk with GET; GET * HTTP/1.1|Host: h||; 400",
        "bad scheme; GET ftp://h/ HTTP/1.1|Host: h||; 400",
        "empty authority; GET http:/// HTTP/1.1|Host: h||; 400",
        "bad method char; G(T / HTTP/1.1|Host: h||; 400",
        "HTTP/2.0; GET / HTTP/2.0|Host: h||; 505",
        "HTTP/1.2; GET / HTTP/1.2|Host: h||; 505",
        "HTTP/0.9; GET / HTTP/0.9|Host: h||; 505",
        "version with three digits; GET / HTTP/1.10|Host: h||; 400",
        "gzip coding; POST / HTTP/1.1|Host: h|Transfer-Encoding: gzip, chunked||; 501",
        "chunked not final; POST / HTTP/1.1|Host: h|Transfer-Encoding: chunked, gzip||; 400",
        "chunked twice; POST / HTTP/1.1|Host: h|Transfer-Encoding: chunked|Transfer-Encoding: chunked||; 400",
        "identity only; POST / HTTP/1.1|Host: h|Transfer-Encoding: identity||; 400",
        "TE in 1.0; POST / HTTP/1.0|Transfer-Encoding: chunked||; 400",
        "CONNECT; CONNECT h:443 HTTP/1.1|Host: h||; 501",
        "unknown expectation; GET / HTTP/1.1|Host: h|Expect: teapot||; 417",
    })
    void refusesMalformedHeads(String name, String raw, int status) {
        ParseException e = assertThrows(ParseException.class, () -> parse(crlf(raw)));
        assertEquals(status, e.status(), e.getMessage());
    }

    @Test
    void refusesALongRequestLineWith414EvenBeforeItEnds() {
        String line = "GET /" + "a".repeat(300);
        assertEquals(414, assertThrows(ParseException.class, () -> parse(line)).status());
        assertEquals(414, assertThrows(ParseException.class,
                () -> parse(crlf(line + " HTTP/1.1|Host: h||"))).status());
    }

    @Test
    void refusesALargeHeaderSectionWith431EvenBeforeItEnds() {
        String headers = "GET / HTTP/1.1\r\nHost: h\r\n" + "X-Pad: 0123456789012345678901234567\r\n".repeat(40);
        assertEquals(431, assertThrows(ParseException.class, () -> parse(headers)).status());
        assertEquals(431, assertThrows(ParseException.class, () -> parse(headers + "\r\n")).status());
    }

    @Test
    void refusesMalformedInputBeforeItIsComplete() {
        assertEquals(400, assertThrows(ParseException.class, () -> parse("GE(")).status());
        assertEquals(400, assertThrows(ParseException.class,
                () -> parse(crlf("GET / HTTP/1.1|Host : "))).status());
    }

    @Test
    void handsOverNoFieldsOfARefusedHead() {
        assertThrows(ParseException.class, () -> parse(crlf("GET / HTTP/1.1|Host: h|X-A: 1|Host: i||")));
        assertEquals(0, fields.size());
    }
}
