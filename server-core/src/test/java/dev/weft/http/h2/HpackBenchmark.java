package dev.weft.http.h2;

import java.util.concurrent.TimeUnit;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.infra.Blackhole;


/**
 * HPACK on the path of every HTTP/2 request, beside its baselines, in one run:
 * <ul>
 *   <li>{@code decodeH2loadFirstRequest}: h2load's first block, literals with indexing, each run inserting two
 *       entries and evicting old ones;</li>
 *   <li>{@code huffmanDecode} vs {@code huffmanDecodeBitByBit}: the state table against a walk down the code tree,
 *       on a browser's user-agent;</li>
 *   <li>{@code encodeResponse}: a /plaintext response head (status, content-type, content-length, date, server)
 *       with the encoder's table warm.</li>
 * </ul>
 * A request's block decoded into the server's request fields, against the HTTP/1.1 parser, is
 * {@code dev.weft.http.Http2RequestBenchmark}. Run: {@code ./weft mvn -q -pl server-core -am -Pjmh verify -DskipTests
 * -Djmh.args="-f 2 -wi 2 -w 1s -i 4 -r 1s HpackBenchmark"}; the module README gives the figures.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class HpackBenchmark {
    private static final String USER_AGENT = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko)"
            + " Chrome/120.0.0.0 Safari/537.36";

    private byte[] firstBlock;
    private HpackDecoder firstDecoder;
    private byte[] huffman;
    private byte[] huffmanOut;
    private HpackEncoder encoder;
    private FieldBlock block;

    @Setup
    public void setUp() throws Exception {
        java.util.List<byte[]> blocks = new java.util.ArrayList<>();
        byte[] capture = Hex.bytes(RecordedClientsTest.H2LOAD);
        for (int at = ConnectionPreface.LENGTH; at < capture.length; at += 9 + FrameParser.payloadLength(capture, at)) {
            if (FrameParser.parse(capture, at) instanceof Frame.Headers h) {
                blocks.add(java.util.Arrays.copyOfRange(capture, h.fragmentOffset(),
                        h.fragmentOffset() + h.fragmentLength()));
            }
        }
        firstBlock = blocks.get(0);
        firstDecoder = new HpackDecoder(4096, 16_384, 8_192);

        huffman = new byte[Huffman.encodedLength(USER_AGENT)];
        Huffman.encode(USER_AGENT, huffman, 0);
        huffmanOut = new byte[huffman.length * 8 / 5];

        encoder = new HpackEncoder(4096);
        block = new FieldBlock(256);
        encodeResponse();
    }

    @Benchmark
    public void decodeH2loadFirstRequest(Blackhole bh) throws ConnectionError {
        firstDecoder.decode(firstBlock, 0, firstBlock.length, (name, value) -> {
            bh.consume(name);
            bh.consume(value);
        });
    }

    @Benchmark
    public int huffmanDecode() throws ConnectionError {
        return Huffman.decode(huffman, 0, huffman.length, huffmanOut, huffmanOut.length);
    }

    @Benchmark
    public int huffmanDecodeBitByBit() {
        return HuffmanReference.decode(huffman, 0, huffman.length, huffmanOut);
    }

    @Benchmark
    public int encodeResponse() {
        block.clear();
        encoder.startResponse(200, block);
        encoder.encodeField("Content-Type", "text/plain", block);
        encoder.encodeField("Content-Length", "13", block);
        encoder.encodeField("Date", "Sat, 28 Nov 2026 08:00:00 GMT", block);
        encoder.encodeField("Server", "weft", block);
        return block.length();
    }
}
