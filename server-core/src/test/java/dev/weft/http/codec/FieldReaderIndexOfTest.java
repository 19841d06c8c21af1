package dev.weft.http.codec;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Random;

import org.junit.jupiter.api.Test;

import dev.weft.testkit.Seeds;

/**
 * {@link FieldReader#indexOf} reads eight bytes at a time; it must find exactly what a byte loop finds, for every
 * offset, length and position of the byte, with bytes that differ from it by one bit or a borrow (0x0A's neighbours,
 * 0x80, 0xFF, 0x00) around it. The seed is printed; {@code -Dweft.test.seed=N} replays it.
 */
class FieldReaderIndexOfTest {
    private static final byte[] NEAR = {'\n', '\n', 0x0B, 0x09, 0x0E, 0x02, (byte) 0x8A, (byte) 0x80, (byte) 0xFF,
        0x00, 0x01, 'a', '\r', ':'};

    @Test
    void findsWhatAByteLoopFinds() {
        long seed = Seeds.seed("FieldReaderIndexOfTest.findsWhatAByteLoopFinds");
        Random random = new Random(seed);
        for (int round = 0; round < 200_000; round++) {
            byte[] buf = new byte[random.nextInt(40)];
            for (int i = 0; i < buf.length; i++) {
                buf[i] = random.nextInt(4) == 0 ? NEAR[random.nextInt(NEAR.length)] : (byte) random.nextInt(256);
            }
            int from = random.nextInt(buf.length + 1);
            int to = from + random.nextInt(buf.length - from + 1);
            byte b = random.nextInt(3) == 0 ? (byte) random.nextInt(256) : (byte) '\n';
            assertEquals(byteLoop(buf, from, to, b), FieldReader.indexOf(buf, from, to, b),
                    "seed " + seed + ", round " + round);
        }
    }

    @Test
    void everyPositionInEveryWord() {
        for (int length = 0; length <= 33; length++) {
            for (int at = 0; at < length; at++) {
                byte[] buf = new byte[length];
                java.util.Arrays.fill(buf, (byte) 0x0B);
                buf[at] = '\n';
                for (int from = 0; from <= length; from++) {
                    assertEquals(from <= at ? at : -1, FieldReader.indexOf(buf, from, length, (byte) '\n'));
                }
            }
        }
    }

    private static int byteLoop(byte[] buf, int from, int to, byte b) {
        for (int i = from; i < to; i++) {
            if (buf[i] == b) {
                return i;
            }
        }
        return -1;
    }
}
