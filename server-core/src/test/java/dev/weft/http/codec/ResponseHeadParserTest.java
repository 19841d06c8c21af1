package dev.weft.http.codec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import dev.weft.http.codec.ResponseHead.Framing;

class ResponseHeadParserTest {
    private final ResponseHeadParser parser = new ResponseHeadParser(1024);
    private final Fields fields = new Fields();

    private ResponseHead parse(String raw, boolean headRequest) throws ParseException {
        byte[] b = crlf(raw).getBytes(StandardCharsets.ISO_8859_1);
        fields.clear();
        ResponseHead head = parser.parse(b, 0, b.length, headRequest, fields);
        if (head == null) {
            assertEquals(0, fields.size(), "no fields are handed over for an incomplete head");
        }
        return head;
    }

    private ResponseHead parse(String raw) throws ParseException {
        return parse(raw, false);
    }

    private static String crlf(String s) {
        return s.replace("|", "\r\n").replace("<LF>", "\n").replace("<CR>", "\r").replace("<BEL>", "\u0007")
                .replace("<NUL>", "\u0000").replace("<DEL>", "\u007f");
    }

    @Test
    void parsesAResponseHead() throws ParseException {
        String raw = "HTTP/1.1 200 OK|Content-Type: text/plain|content-length: 13|X-Custom:  v ||Hello, World!";
        ResponseHead head = parse(raw);
        assertTrue(head.http11());
        assertEquals(200, head.status());
        assertEquals("OK", head.reason());
        assertEquals(Framing.LENGTH, head.framing());
        assertEquals(13, head.contentLength());
        assertTrue(head.keepAlive());
        assertFalse(head.interim());
        assertEquals(crlf(raw).indexOf("Hello"), head.end());
        assertEquals(List.of("Content-Type: text/plain", "Content-Length: 13", "X-Custom: v"), fields);
    }

    @Test
    void reportsIncompleteHeadsAtEveryCut() throws ParseException {
        String raw = crlf("HTTP/1.1 404 Not Found|Content-Length: 3|Connection: close||abc");
        int headEnd = raw.indexOf("abc");
        for (int cut = 0; cut < headEnd; cut++) {
            assertNull(parse(raw.substring(0, cut)), "cut at " + cut);
        }
        ResponseHead head = parse(raw);
        assertEquals(headEnd, head.end());
        assertEquals(404, head.status());
        assertFalse(head.keepAlive());
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '#', value = {
        // name # head # HEAD request # framing # content length # keep-alive
        "Content-Length # HTTP/1.1 200 OK|Content-Length: 5|| # false # LENGTH # 5 # true",
        "repeated equal Content-Length # HTTP/1.1 200 OK|Content-Length: 5|Content-Length: 5|| # false # LENGTH # 5 # true",
        "chunked # HTTP/1.1 200 OK|Transfer-Encoding: chunked|| # false # CHUNKED # -1 # true",
        "chunked in any case # HTTP/1.1 200 OK|Transfer-Encoding: Chunked|| # false # CHUNKED # -1 # true",
        "neither: until close # HTTP/1.1 200 OK|| # false # UNTIL_CLOSE # -1 # false",
        "HTTP/1.0 with a length # HTTP/1.0 200 OK|Content-Length: 2|| # false # LENGTH # 2 # false",
        "HTTP/1.0 keep-alive # HTTP/1.0 200 OK|Content-Length: 2|Connection: Keep-Alive|| # false # LENGTH # 2 # true",
        "HTTP/1.1 close # HTTP/1.1 200 OK|Content-Length: 2|Connection: keep-alive, close|| # false # LENGTH # 2 # false",
        "answer to HEAD # HTTP/1.1 200 OK|Content-Length: 500|| # true # NONE # 500 # true",
        "chunked answer to HEAD # HTTP/1.1 200 OK|Transfer-Encoding: chunked|| # true # NONE # -1 # true",
        "HEAD without a length # HTTP/1.1 200 OK|| # true # NONE # -1 # true",
        "204 # HTTP/1.1 204 No Content|| # false # NONE # -1 # true",
        "204 with a zero length # HTTP/1.1 204 No Content|Content-Length: 0|| # false # NONE # 0 # true",
        "304 with a length # HTTP/1.1 304 Not Modified|Content-Length: 120|| # false # NONE # 120 # true",
        "100 Continue # HTTP/1.1 100 Continue|| # false # NONE # -1 # true",
        "103 Early Hints # HTTP/1.1 103 Early Hints|Link: </a.css>; rel=preload|| # false # NONE # -1 # true",
        "101 Switching Protocols # HTTP/1.1 101 Switching Protocols|Upgrade: websocket|Connection: Upgrade|| # false # NONE # -1 # false",
        "no reason phrase # HTTP/1.1 200|Content-Length: 0|| # false # LENGTH # 0 # true",
        "empty reason phrase # HTTP/1.1 200 |Content-Length: 0|| # false # LENGTH # 0 # true",
        "599 # HTTP/1.1 599 Whatever|Content-Length: 0|| # false # LENGTH # 0 # true",
    })
    void findsTheFraming(String name, String raw, boolean headRequest, Framing framing, long length,
                         boolean keepAlive) throws ParseException {
        ResponseHead head = parse(raw, headRequest);
        assertEquals(framing, head.framing());
        assertEquals(length, head.contentLength());
        assertEquals(keepAlive, head.keepAlive());
        assertEquals(crlf(raw).length(), head.end());
    }

    @Test
    void interimResponsesAreFollowedByTheFinalOne() throws ParseException {
        String raw = crlf("HTTP/1.1 100 Continue||HTTP/1.1 201 Created|Content-Length: 0||");
        byte[] b = raw.getBytes(StandardCharsets.ISO_8859_1);
        ResponseHead interim = parser.parse(b, 0, b.length, false, fields);
        assertTrue(interim.interim());
        ResponseHead last = parser.parse(b, interim.end(), b.length, false, fields);
        assertFalse(last.interim());
        assertEquals(201, last.status());
        assertEquals(b.length, last.end());
        assertFalse(parse("HTTP/1.1 101 Switching Protocols||").interim(), "101 is final: the protocol changes");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '#', value = {
        "both Content-Length and Transfer-Encoding # HTTP/1.1 200 OK|Content-Length: 3|Transfer-Encoding: chunked||",
        "both, Transfer-Encoding first # HTTP/1.1 200 OK|Transfer-Encoding: chunked|Content-Length: 3||",
        "both on a HEAD-less 304 # HTTP/1.1 304 Not Modified|Content-Length: 3|Transfer-Encoding: chunked||",
        "differing Content-Lengths # HTTP/1.1 200 OK|Content-Length: 3|Content-Length: 4||",
        "signed Content-Length # HTTP/1.1 200 OK|Content-Length: +3||",
        "negative Content-Length # HTTP/1.1 200 OK|Content-Length: -1||",
        "Content-Length list # HTTP/1.1 200 OK|Content-Length: 3, 3||",
        "Content-Length with a space inside # HTTP/1.1 200 OK|Content-Length: 1 2||",
        "Content-Length of 19 digits # HTTP/1.1 200 OK|Content-Length: 1234567890123456789||",
        "empty Content-Length # HTTP/1.1 200 OK|Content-Length: ||",
        "gzip then chunked # HTTP/1.1 200 OK|Transfer-Encoding: gzip, chunked||",
        "chunked twice # HTTP/1.1 200 OK|Transfer-Encoding: chunked|Transfer-Encoding: chunked||",
        "identity # HTTP/1.1 200 OK|Transfer-Encoding: identity||",
        "Transfer-Encoding in HTTP/1.0 # HTTP/1.0 200 OK|Transfer-Encoding: chunked||",
        "control character in a value # HTTP/1.1 200 OK|X-A: a<BEL>b|Content-Length: 0||",
        "NUL in a value # HTTP/1.1 200 OK|X-A: a<NUL>b|Content-Length: 0||",
        "DEL in a value # HTTP/1.1 200 OK|X-A: a<DEL>b|Content-Length: 0||",
        "bare CR in a value # HTTP/1.1 200 OK|X-A: a<CR>b|Content-Length: 0||",
        "bare LF between fields # HTTP/1.1 200 OK|X-A: a<LF>Content-Length: 0||",
        "obs-fold # HTTP/1.1 200 OK|X-A: a| folded|Content-Length: 0||",
        "space before a colon # HTTP/1.1 200 OK|Content-Length : 0||",
        "no colon # HTTP/1.1 200 OK|Nonsense||",
        "empty name # HTTP/1.1 200 OK|: v||",
        "bare LF after the status line # HTTP/1.1 200 OK<LF>Content-Length: 0||",
        "lower-case version # http/1.1 200 OK|Content-Length: 0||",
        "HTTP/2 as text # HTTP/2.0 200 OK|Content-Length: 0||",
        "HTTP/1.2 # HTTP/1.2 200 OK|Content-Length: 0||",
        "HTTP/0.9 # HTTP/0.9 200 OK|Content-Length: 0||",
        "two spaces # HTTP/1.1  200 OK|Content-Length: 0||",
        "two-digit status # HTTP/1.1 20 OK|Content-Length: 0||",
        "four-digit status # HTTP/1.1 2000 OK|Content-Length: 0||",
        "status below 100 # HTTP/1.1 099 Odd|Content-Length: 0||",
        "status above 599 # HTTP/1.1 600 Odd|Content-Length: 0||",
        "letters in the status # HTTP/1.1 2x0 OK|Content-Length: 0||",
        "signed status # HTTP/1.1 +20 OK|Content-Length: 0||",
        "control character in the reason # HTTP/1.1 200 O<BEL>K|Content-Length: 0||",
        "status line only # HTTP/1.1||",
        "empty line first # |HTTP/1.1 200 OK|Content-Length: 0||",
        "not HTTP at all # SSH-2.0-OpenSSH_9.2|",
    })
    void refusesMalformedHeadsWith502(String name, String raw) {
        ParseException e = assertThrows(ParseException.class, () -> parse(raw));
        assertEquals(502, e.status(), e.getMessage());
        assertEquals(0, fields.size());
    }

    @Test
    void refusesMalformedStatusLinesBeforeTheyEnd() {
        assertEquals(502, assertThrows(ParseException.class, () -> parse("HTTX")).status());
        assertEquals(502, assertThrows(ParseException.class, () -> parse("<html>")).status());
    }

    @Test
    void refusesALargeHeadEvenBeforeItEnds() {
        String big = "HTTP/1.1 200 OK|" + "X-Pad: 0123456789012345678901234567|".repeat(40);
        assertEquals(502, assertThrows(ParseException.class, () -> parse(big)).status());
        assertEquals(502, assertThrows(ParseException.class, () -> parse(big + "|")).status());
        assertEquals(502, assertThrows(ParseException.class, () -> parse("HTTP/1.1 200 " + "x".repeat(2000)))
                .status());
    }

    @Test
    void reusesValuesAcrossResponsesOfAConnection() throws ParseException {
        parse("HTTP/1.1 200 OK|Content-Type: text/plain|Content-Length: 0||");
        String type = fields.value("Content-Type");
        parse("HTTP/1.1 200 OK|Content-Type: text/plain|Content-Length: 0||");
        assertSame(type, fields.value("Content-Type"));
    }
}
