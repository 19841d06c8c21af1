package dev.weft.http.h2;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.infra.Blackhole;

import dev.weft.http.Headers;
import dev.weft.http.codec.ParseException;
import dev.weft.http.codec.RequestHead;
import dev.weft.http.codec.RequestHeadParser;

/**
 * HPACK on the path of every HTTP/2 request, beside its baselines, in one run:
 * <ul>
 *   <li>{@code decodeH2loadRequest} vs {@code parseSameHttp11Request}: the field block h2load sends for each request
 *       after the first (recorded in {@code RecordedClientsTest}: :path as a Huffman literal, the rest indexes)
 *       decoded and checked by {@link RequestFields} into method, path and {@code Headers}, against
 *       {@code RequestHeadParser} on the same request in HTTP/1.1, both with a connection's caches warm;</li>
 *   <li>{@code decodeH2loadFirstRequest}: h2load's first block, literals with indexing, each run inserting two
 *       entries and evicting old ones;</li>
 *   <li>{@code huffmanDecode} vs {@code huffmanDecodeBitByBit}: the state table against a walk down the code tree,
 *       on a browser's user-agent;</li>
 *   <li>{@code encodeResponse}: a /plaintext response head (status, content-type, content-length, date, server)
 *       with the encoder's table warm.</li>
 * </ul>
 * Run: {@code ./weft mvn -q -pl server-core -am -Pjmh verify -DskipTests
 * -Djmh.args="-f 2 -wi 2 -w 1s -i 4 -r 1s HpackBenchmark"}; the module README gives the figures.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class HpackBenchmark {
    private static final String USER_AGENT = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko)"
            + " Chrome/120.0.0.0 Safari/537.36";

    private byte[] firstBlock;
    private byte[] nextBlock;
    private HpackDecoder decoder;
    private RequestFields request;
    private HpackDecoder firstDecoder;
    private byte[] http11;
    private RequestHeadParser parser;
    private RequestHead head;
    private byte[] huffman;
    private byte[] huffmanOut;
    private HpackEncoder encoder;
    private Headers responseHeaders;
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
        nextBlock = blocks.get(1);
        decoder = new HpackDecoder(4096, 16_384, 8_192);
        decoder.decode(firstBlock, 0, firstBlock.length, (n, v) -> { });
        firstDecoder = new HpackDecoder(4096, 16_384, 8_192);
        request = new RequestFields();

        http11 = ("GET /plaintext HTTP/1.1\r\nHost: 127.0.0.1:18089\r\nUser-Agent: h2load nghttp2/1.52.0\r\n\r\n")
                .getBytes(StandardCharsets.ISO_8859_1);
        parser = new RequestHeadParser(8192, 16_384);
        head = new RequestHead();
        parser.parse(http11, 0, http11.length, head);

        huffman = new byte[Huffman.encodedLength(USER_AGENT)];
        Huffman.encode(USER_AGENT, huffman, 0);
        huffmanOut = new byte[huffman.length * 8 / 5];

        encoder = new HpackEncoder(4096);
        responseHeaders = new Headers().add("Content-Type", "text/plain").add("Content-Length", "13")
                .add("Date", "Sat, 28 Nov 2026 08:00:00 GMT").add("Server", "weft");
        block = new FieldBlock(256);
        encoder.encodeResponse(200, responseHeaders, block);
    }

    @Benchmark
    public String decodeH2loadRequest() throws ConnectionError {
        request.reset(false);
        decoder.decode(nextBlock, 0, nextBlock.length, request);
        return request.finish();
    }

    @Benchmark
    public int parseSameHttp11Request() throws ParseException {
        return parser.parse(http11, 0, http11.length, head);
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
        encoder.encodeResponse(200, responseHeaders, block);
        return block.length();
    }
}
