package dev.weft.http.codec;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;

/**
 * The LF scan every header line goes through ({@link FieldReader#indexOf}, eight bytes at a time) against the byte
 * loop it replaced, over the lines of a browser's request head; and the two head parsers on the heads the gateway
 * benchmark sees most: a browser-like request, and a Go {@code net/http} response.
 *
 * <p>{@code ./weft mvn -q -pl server-core -am -Pjmh verify -DskipTests
 * -Djmh.args="-f 2 -wi 3 -w 1s -i 5 -r 1s HeadParserBenchmark"}
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class HeadParserBenchmark {
    private static final byte[] REQUEST = ascii("GET /api/orders?page=2 HTTP/1.1\r\n"
            + "Host: shop.example.com\r\n"
            + "User-Agent: Mozilla/5.0 (X11; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0\r\n"
            + "Accept: text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8\r\n"
            + "Accept-Language: en-GB,en;q=0.5\r\n"
            + "Accept-Encoding: gzip, deflate, br, zstd\r\n"
            + "Cookie: session=0af7651916cd43dd8448eb211c80319c; theme=dark\r\n"
            + "Connection: keep-alive\r\n\r\n");
    private static final byte[] RESPONSE = ascii("HTTP/1.1 200 OK\r\n"
            + "Content-Type: text/plain\r\n"
            + "Date: Sun, 06 Dec 2026 07:30:00 GMT\r\n"
            + "Content-Length: 13\r\n\r\nHello, World!");

    private final RequestHeadParser requests = new RequestHeadParser(8192, 16384);
    private final ResponseHeadParser responses = new ResponseHeadParser(16384);
    private final FieldSink ignore = (name, value) -> { };

    @Benchmark
    public int scanLinesEightBytesAtATime() {
        int lines = 0;
        for (int p = 0, lf; (lf = FieldReader.indexOf(REQUEST, p, REQUEST.length, (byte) '\n')) >= 0; p = lf + 1) {
            lines += lf;
        }
        return lines;
    }

    @Benchmark
    public int scanLinesByteByByte() {
        int lines = 0;
        for (int p = 0, lf; (lf = byteLoop(REQUEST, p, REQUEST.length, (byte) '\n')) >= 0; p = lf + 1) {
            lines += lf;
        }
        return lines;
    }

    @Benchmark
    public RequestHead parseRequestHead() throws ParseException {
        return requests.parse(REQUEST, 0, REQUEST.length, ignore);
    }

    @Benchmark
    public ResponseHead parseResponseHead() throws ParseException {
        return responses.parse(RESPONSE, 0, RESPONSE.length, false, ignore);
    }

    private static int byteLoop(byte[] buf, int from, int to, byte b) {
        for (int i = from; i < to; i++) {
            if (buf[i] == b) {
                return i;
            }
        }
        return -1;
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }
}
