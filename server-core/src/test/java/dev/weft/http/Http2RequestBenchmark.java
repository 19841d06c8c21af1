package dev.weft.http;

import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.concurrent.TimeUnit;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

import dev.weft.http.codec.FieldSink;
import dev.weft.http.codec.ParseException;
import dev.weft.http.codec.RequestHead;
import dev.weft.http.codec.RequestHeadParser;
import dev.weft.http.h2.ConnectionError;
import dev.weft.http.h2.HpackDecoder;

/**
 * A request's head on HTTP/2 against HTTP/1.1, in one run: {@code decodeH2loadRequest}, the field block h2load sends
 * for each request after the first (its first two blocks as recorded in {@code h2.RecordedClientsTest}: :path as a
 * Huffman literal, the rest indexes) decoded and checked by {@link RequestFields} into method, path and
 * {@code Headers}, against {@code parseSameHttp11Request}, {@code RequestHeadParser} on the same request in
 * HTTP/1.1 into a {@code Headers}, both with a connection's caches warm. The codec alone is measured by {@code h2.HpackBenchmark}.
 *
 * <p>Run: {@code ./weft mvn -q -pl server-core -am -Pjmh verify -DskipTests
 * -Djmh.args="-f 2 -wi 2 -w 1s -i 4 -r 1s Http2RequestBenchmark"}; the module README gives the figures.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class Http2RequestBenchmark {
    /** h2load's first HEADERS block (literals with indexing) and its second, which refers to the first's entries. */
    private static final String FIRST_BLOCK = "048762ba066a925f2986418b089d5c0b8170dc0bc079ff827a8f9c541c722954d3a535"
            + "8980aed89707";
    private static final String NEXT_BLOCK = "048762ba066a925f2986bf82be";

    private byte[] nextBlock;
    private HpackDecoder decoder;
    private RequestFields request;
    private byte[] http11;
    private RequestHeadParser parser;
    private Headers http11Fields;
    private FieldSink http11Sink;

    @Setup
    public void setUp() throws Exception {
        byte[] firstBlock = HexFormat.of().parseHex(FIRST_BLOCK);
        nextBlock = HexFormat.of().parseHex(NEXT_BLOCK);
        decoder = new HpackDecoder(4096, 16_384, 8_192);
        decoder.decode(firstBlock, 0, firstBlock.length, (n, v) -> { });
        request = new RequestFields();

        http11 = ("GET /plaintext HTTP/1.1\r\nHost: 127.0.0.1:18089\r\nUser-Agent: h2load nghttp2/1.52.0\r\n\r\n")
                .getBytes(StandardCharsets.ISO_8859_1);
        parser = new RequestHeadParser(8192, 16_384);
        http11Fields = new Headers(8);
        http11Sink = http11Fields::add;
        parseSameHttp11Request();
    }

    @Benchmark
    public String decodeH2loadRequest() throws ConnectionError {
        request.reset(false);
        decoder.decode(nextBlock, 0, nextBlock.length, request);
        return request.finish();
    }

    @Benchmark
    public RequestHead parseSameHttp11Request() throws ParseException {
        http11Fields.clear();
        return parser.parse(http11, 0, http11.length, http11Sink);
    }
}
