package dev.weft.http.h2;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;

import org.junit.jupiter.api.Test;

import dev.weft.testkit.Seeds;

/**
 * Randomized round trips through the encoder and the decoder; the seed is printed, and replayed with
 * -Dweft.test.seed.
 */
class HpackRoundTripTest {
    private static final String[] NAMES = {
        "Content-Type", "content-length", "Date", "Server", "Cache-Control", "ETag", "Location", "Vary",
        "Set-Cookie", "authorization", "X-Request-Id", "x-trace", "Connection", "Transfer-Encoding", "Upgrade",
        "Keep-Alive", "Proxy-Connection", "Last-Modified", "Access-Control-Allow-Origin", "grpc-status",
    };

    /**
     * Response heads with repeated and fresh values, connection-specific and sensitive fields, and the peer changing
     * its SETTINGS_HEADER_TABLE_SIZE between blocks: what the decoder reads back is the head, names lowered and
     * connection-specific fields left out, and the two dynamic tables stay identical.
     */
    @Test
    void theDecoderReadsBackWhatTheEncoderWrote() throws ConnectionError {
        long seed = Seeds.seed("HpackRoundTripTest.theDecoderReadsBackWhatTheEncoderWrote");
        Random random = new Random(seed);
        for (int connection = 0; connection < 200; connection++) {
            HpackEncoder encoder = new HpackEncoder(random.nextBoolean() ? 4096 : random.nextInt(600));
            HpackDecoder decoder = new HpackDecoder(4096, 1 << 20, 1 << 16);
            FieldBlock block = new FieldBlock(64);
            for (int response = 0; response < 50; response++) {
                if (random.nextInt(10) == 0) {
                    int size = new int[] {0, 64, 256, 4096, 65_536}[random.nextInt(5)];
                    encoder.setPeerHeaderTableSize(size);
                    decoder.setHeaderTableSize(size);
                }
                int status = random.nextInt(4) == 0 ? 100 + random.nextInt(500) : 200;
                List<String> fields = new ArrayList<>();
                List<String> expected = new ArrayList<>();
                expected.add(":status: " + status);
                for (int i = random.nextInt(12); i > 0; i--) {
                    String name = random.nextInt(5) == 0 ? "x-" + word(random, 1 + random.nextInt(12))
                            : NAMES[random.nextInt(NAMES.length)];
                    String value = random.nextInt(3) == 0 ? latin1(random, random.nextInt(80))
                            : "v" + random.nextInt(8);
                    fields.add(name);
                    fields.add(value);
                    String lower = name.toLowerCase(Locale.ROOT);
                    if (!List.of("connection", "transfer-encoding", "upgrade", "keep-alive", "proxy-connection")
                            .contains(lower)) {
                        expected.add(lower + ": " + value);
                    }
                }
                block.clear();
                encoder.startResponse(status, block);
                for (int i = 0; i < fields.size(); i += 2) {
                    encoder.encodeField(fields.get(i), fields.get(i + 1), block);
                }
                List<String> decoded = new ArrayList<>();
                decoder.decode(block.array(), 0, block.length(), (n, v) -> decoded.add(n + ": " + v));
                assertEquals(expected, decoded, "seed " + seed);
                assertEquals(HpackDecoderTest.entries(encoder.table()), HpackDecoderTest.entries(decoder.table()),
                        "seed " + seed);
            }
        }
    }

    /**
     * Blocks made of every representation of RFC 7541 section 6 at random (indexed fields from both tables,
     * literals with and without indexing and never indexed, names by index and literal, Huffman or not, size updates
     * at the start), checked against a model of the dynamic table written from section 4 separately.
     */
    @Test
    void theDecoderReadsEveryRepresentation() throws ConnectionError {
        long seed = Seeds.seed("HpackRoundTripTest.theDecoderReadsEveryRepresentation");
        Random random = new Random(seed);
        for (int connection = 0; connection < 100; connection++) {
            HpackDecoder decoder = new HpackDecoder(4096, 1 << 20, 1 << 16);
            List<String[]> model = new ArrayList<>();
            long[] max = {4096};
            for (int b = 0; b < 40; b++) {
                ByteArrayOutputStream block = new ByteArrayOutputStream();
                List<String> expected = new ArrayList<>();
                for (int updates = random.nextInt(6) == 0 ? 1 + random.nextInt(2) : 0; updates > 0; updates--) {
                    max[0] = random.nextInt(4097);
                    integer(block, 0x20, 5, max[0]);
                    evict(model, max[0], 0);
                }
                for (int f = random.nextInt(15); f > 0; f--) {
                    int kind = random.nextInt(4);
                    if (kind == 0) {
                        int index = 1 + random.nextInt(StaticTable.LENGTH + model.size());
                        integer(block, 0x80, 7, index);
                        String[] entry = entry(model, index);
                        expected.add(entry[0] + ": " + entry[1]);
                        continue;
                    }
                    int pattern = kind == 1 ? 0x40 : kind == 2 ? 0x00 : 0x10;
                    int prefix = kind == 1 ? 6 : 4;
                    String name;
                    if (random.nextBoolean()) {
                        int index = 1 + random.nextInt(StaticTable.LENGTH + model.size());
                        integer(block, pattern, prefix, index);
                        name = entry(model, index)[0];
                    } else {
                        integer(block, pattern, prefix, 0);
                        name = word(random, 1 + random.nextInt(20));
                        string(block, name, random.nextBoolean());
                    }
                    String value = random.nextBoolean() ? latin1(random, random.nextInt(300)) : "";
                    string(block, value, random.nextBoolean());
                    expected.add(name + ": " + value);
                    if (kind == 1) {
                        long size = name.length() + value.length() + 32;
                        evict(model, max[0], size);
                        if (size <= max[0]) {
                            model.add(0, new String[] {name, value});
                        }
                    }
                }
                byte[] bytes = block.toByteArray();
                List<String> decoded = new ArrayList<>();
                decoder.decode(bytes, 0, bytes.length, (n, v) -> decoded.add(n + ": " + v));
                assertEquals(expected, decoded, "seed " + seed);
                List<String> modelEntries = model.stream().map(e -> e[0] + ": " + e[1]).toList();
                assertEquals(modelEntries, HpackDecoderTest.entries(decoder.table()), "seed " + seed);
            }
        }
    }

    private static String[] entry(List<String[]> model, int index) {
        if (index <= StaticTable.LENGTH) {
            return new String[] {StaticTable.name(index), StaticTable.value(index)};
        }
        return model.get(index - StaticTable.LENGTH - 1);
    }

    /** Section 4.4: evict from the end until the new entry fits, or the table is empty. */
    private static void evict(List<String[]> model, long max, long incoming) {
        long size = model.stream().mapToLong(e -> e[0].length() + e[1].length() + 32).sum();
        while (!model.isEmpty() && size + incoming > max) {
            String[] last = model.remove(model.size() - 1);
            size -= last[0].length() + last[1].length() + 32;
        }
    }

    private static void integer(ByteArrayOutputStream out, int pattern, int prefix, long value) {
        FieldBlock b = new FieldBlock(16);
        b.writeInteger(pattern, prefix, value);
        out.writeBytes(b.toByteArray());
    }

    private static void string(ByteArrayOutputStream out, String s, boolean huffman) {
        if (huffman) {
            byte[] coded = new byte[Huffman.encodedLength(s)];
            Huffman.encode(s, coded, 0);
            integer(out, 0x80, 7, coded.length);
            out.writeBytes(coded);
        } else {
            integer(out, 0x00, 7, s.length());
            for (int i = 0; i < s.length(); i++) {
                out.write(s.charAt(i));
            }
        }
    }

    static String word(Random random, int length) {
        StringBuilder s = new StringBuilder(length);
        for (int i = 0; i < length; i++) {
            s.append((char) ('a' + random.nextInt(26)));
        }
        return s.toString();
    }

    static String latin1(Random random, int length) {
        StringBuilder s = new StringBuilder(length);
        for (int i = 0; i < length; i++) {
            s.append((char) (random.nextInt(4) == 0 ? random.nextInt(256) : 32 + random.nextInt(95)));
        }
        return s.toString();
    }
}
