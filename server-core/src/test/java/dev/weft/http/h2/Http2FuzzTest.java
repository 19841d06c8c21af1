package dev.weft.http.h2;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import org.junit.jupiter.api.Test;

import dev.weft.testkit.Seeds;

/**
 * Randomized inputs for the two parsers of untrusted bytes: mutated valid frames and field blocks, and random bytes.
 * The frame parser must only ever return a frame that lies within its input or throw an {@link Http2Exception}; the
 * HPACK decoder must only deliver fields within the header list limit or throw a COMPRESSION_ERROR. Any other
 * exception (an index out of bounds, an overflow) is a bug. The seed is printed; -Dweft.test.seed replays it.
 */
class Http2FuzzTest {
    private static final int RUNS = 50_000;
    /** Octets at the edges of HPACK's prefixes and flags. */
    private static final byte[] BOUNDARIES = {0x00, 0x01, 0x1f, 0x20, 0x3f, 0x40, 0x7f, (byte) 0x80, (byte) 0xff};

    @Test
    void theFrameParserNeverMisbehaves() {
        long seed = Seeds.seed("Http2FuzzTest.theFrameParserNeverMisbehaves");
        Random random = new Random(seed);
        List<byte[]> seeds = validFrames();
        int parsed = 0;
        for (int i = 0; i < RUNS; i++) {
            byte[] input = random.nextInt(10) == 0 ? randomBytes(random, 9 + random.nextInt(30))
                    : mutate(random, seeds.get(random.nextInt(seeds.size())));
            int maxFrameSize = random.nextBoolean() ? 16_384 : 16;
            try {
                int length = FrameParser.frameLength(input, 0, input.length, maxFrameSize);
                if (length == FrameParser.INCOMPLETE || length > input.length) {
                    continue;
                }
                Frame frame = FrameParser.parse(input, 0);
                checkWithin(frame, length, seed);
                parsed++;
            } catch (Http2Exception e) {
                assertTrue(e.getMessage() != null && !e.getMessage().isEmpty(), "seed " + seed);
            } catch (RuntimeException e) {
                fail("frame parser crashed on " + Hex.of(input) + ", seed " + seed, e);
            }
        }
        assertTrue(parsed > RUNS / 10, "too few inputs parsed to mean anything: " + parsed);
    }

    /**
     * Each run decodes one of the example sequences of RFC 7541 Appendix C.3 to C.6 with a fresh decoder, some blocks
     * mutated, so that references into the dynamic table find entries; one run in ten is random bytes.
     */
    @Test
    void theHpackDecoderNeverMisbehaves() {
        long seed = Seeds.seed("Http2FuzzTest.theHpackDecoderNeverMisbehaves");
        Random random = new Random(seed);
        String[][] sequences = {HpackDecoderTest.C3, HpackDecoderTest.C4, HpackDecoderTest.C5, HpackDecoderTest.C6};
        int decoded = 0;
        for (int i = 0; i < RUNS / 3; i++) {
            HpackDecoder decoder = new HpackDecoder(256, 512, 64);
            String[] sequence = sequences[random.nextInt(sequences.length)];
            for (String hex : sequence) {
                byte[] input = random.nextInt(10) == 0 ? randomBytes(random, random.nextInt(40))
                        : random.nextBoolean() ? mutate(random, Hex.bytes(hex)) : Hex.bytes(hex);
                long[] listSize = {0};
                try {
                    decoder.decode(input, 0, input.length, (name, value) -> {
                        assertTrue(name.length() <= 64 && value.length() <= 64, "seed " + seed);
                        listSize[0] += name.length() + value.length() + 32;
                    });
                    assertTrue(listSize[0] <= 512, "delivered past the limit, seed " + seed);
                    assertTrue(decoder.table().size() <= 256, "seed " + seed);
                    decoded++;
                } catch (ConnectionError e) {
                    assertEquals(ErrorCode.COMPRESSION_ERROR, e.code(), "seed " + seed);
                    break; // a decoding error ends the connection, and its table
                } catch (RuntimeException e) {
                    fail("HPACK decoder crashed on " + Hex.of(input) + ", seed " + seed, e);
                }
            }
        }
        assertTrue(decoded > RUNS / 5, "too few blocks decoded to mean anything: " + decoded);
    }

    private static void checkWithin(Frame frame, int length, long seed) {
        switch (frame) {
            case Frame.Data d -> {
                assertTrue(d.dataOffset() >= 9 && d.dataOffset() + d.dataLength() <= length, "seed " + seed);
                assertEquals(length - 9, d.flowControlled(), "seed " + seed);
            }
            case Frame.Headers h -> assertTrue(h.fragmentOffset() >= 9 && h.fragmentLength() >= 0
                    && h.fragmentOffset() + h.fragmentLength() <= length, "seed " + seed);
            case Frame.Continuation c -> assertEquals(length, c.fragmentOffset() + c.fragmentLength(), "seed " + seed);
            case Frame.WindowUpdate w -> assertTrue(w.increment() > 0, "seed " + seed);
            default -> assertTrue(frame.streamId() >= 0, "seed " + seed);
        }
    }

    private static List<byte[]> validFrames() {
        List<byte[]> frames = new ArrayList<>();
        for (String capture : new String[] {RecordedClientsTest.H2LOAD, RecordedClientsTest.NGHTTP}) {
            byte[] in = Hex.bytes(capture);
            for (int at = ConnectionPreface.LENGTH; at < in.length; ) {
                int length = 9 + FrameParser.payloadLength(in, at);
                frames.add(java.util.Arrays.copyOfRange(in, at, at + length));
                at += length;
            }
        }
        frames.add(Frames.frame(0x0, 0x9, 1, "03 616263 000000"));
        frames.add(Frames.frame(0x1, 0x2d, 1, "01 80000003 0f 82 00"));
        frames.add(Frames.frame(0x3, 0x0, 1, "00000008"));
        frames.add(Frames.frame(0x4, 0x1, 0, ""));
        frames.add(Frames.frame(0x6, 0x0, 0, "0102030405060708"));
        frames.add(Frames.frame(0x7, 0x0, 0, "00000007 00000000 626f6f6d"));
        frames.add(Frames.frame(0x9, 0x4, 1, "8286"));
        return frames;
    }

    private static byte[] randomBytes(Random random, int n) {
        byte[] b = new byte[n];
        random.nextBytes(b);
        return b;
    }

    /** One to three edits: an octet replaced by a random or a boundary value, removed, or inserted. */
    private static byte[] mutate(Random random, byte[] original) {
        byte[] out = original.clone();
        for (int edits = 1 + random.nextInt(3); edits > 0 && out.length > 0; edits--) {
            int at = random.nextInt(out.length);
            switch (random.nextInt(4)) {
                case 0 -> out[at] = (byte) random.nextInt(256);
                case 1 -> out[at] = BOUNDARIES[random.nextInt(BOUNDARIES.length)];
                case 2 -> {
                    byte[] shorter = new byte[out.length - 1];
                    System.arraycopy(out, 0, shorter, 0, at);
                    System.arraycopy(out, at + 1, shorter, at, out.length - at - 1);
                    out = shorter;
                }
                default -> {
                    byte[] longer = new byte[out.length + 1];
                    System.arraycopy(out, 0, longer, 0, at);
                    longer[at] = (byte) random.nextInt(256);
                    System.arraycopy(out, at, longer, at + 1, out.length - at);
                    out = longer;
                }
            }
        }
        return out;
    }
}
