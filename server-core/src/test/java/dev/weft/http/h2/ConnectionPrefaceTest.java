package dev.weft.http.h2;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

class ConnectionPrefaceTest {
    private static final byte[] PREFACE = Hex.bytes("505249202a20485454502f322e300d0a0d0a534d0d0a0d0a");

    @Test
    void isTheTwentyFourOctetsOfSection34() {
        assertEquals(24, ConnectionPreface.LENGTH);
        assertEquals(Hex.of(PREFACE), Hex.of(ConnectionPreface.bytes()));
        assertTrue(ConnectionPreface.matches(PREFACE, 0, 24));
    }

    @Test
    void tellsAPrefixFromADifferentStart() {
        for (int n = 0; n < 24; n++) {
            assertTrue(ConnectionPreface.isPrefix(PREFACE, 0, n), n + " octets");
            assertFalse(ConnectionPreface.matches(PREFACE, 0, n), n + " octets");
        }
        byte[] http11 = "PRI / HTTP/1.1\r\n".getBytes(StandardCharsets.US_ASCII);
        assertTrue(ConnectionPreface.isPrefix(http11, 0, 4));
        assertFalse(ConnectionPreface.isPrefix(http11, 0, 5));
        byte[] get = "GET / HTTP/1.1\r\nHost: h\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
        assertFalse(ConnectionPreface.isPrefix(get, 0, 1));
        assertFalse(ConnectionPreface.matches(get, 0, get.length));
    }

    @Test
    void looksOnlyAtTheFirstTwentyFourOctetsFromTheOffset() {
        byte[] buf = new byte[40];
        System.arraycopy(PREFACE, 0, buf, 5, 24);
        buf[29] = 0x42;
        assertTrue(ConnectionPreface.matches(buf, 5, 40));
        assertTrue(ConnectionPreface.isPrefix(buf, 5, 40));
        assertFalse(ConnectionPreface.matches(buf, 4, 40));
    }
}
