package dev.weft.http.bench;

import java.util.UUID;
import java.util.concurrent.TimeUnit;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.infra.Blackhole;
import org.slf4j.MDC;

import dev.weft.http.Handler;
import dev.weft.http.RecordingResponseWriter;
import dev.weft.http.Request;
import dev.weft.http.RequestId;

/**
 * What a request id costs a request: making one (against {@code UUID.randomUUID()}, whose {@code SecureRandom} every
 * thread shares), checking a client's, and the whole middleware (id, response header, MDC put and remove, with
 * Logback's MDC as a service has it) around a handler that does nothing, against that handler alone.
 *
 * <p>{@code ./weft mvn -q -pl server-core -am -Pjmh verify -DskipTests}; with
 * {@code -Djmh.args="-f 1 -wi 3 -w 1s -i 5 -r 1s -t 2 RequestIdBenchmark"} as well, to see the two ways of making
 * an id under contention.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class RequestIdBenchmark {
    private static final String CLIENT_ID = "0af7651916cd43dd8448eb211c80319c";

    private Request request;
    private RecordingResponseWriter writer;
    private Handler bare;
    private Handler withId;

    @Setup
    public void setUp() {
        request = Request.newRequest("GET", "/x");
        writer = new RecordingResponseWriter();
        bare = (w, r) -> { };
        withId = RequestId.middleware().wrap(bare);
    }

    @Benchmark
    public String newId() {
        return RequestId.newId();
    }

    @Benchmark
    public String uuid() {
        return UUID.randomUUID().toString();
    }

    @Benchmark
    public boolean usable() {
        return RequestId.isUsable(CLIENT_ID);
    }

    @Benchmark
    public void mdcPutRemove() {
        MDC.put(RequestId.MDC_KEY, CLIENT_ID);
        MDC.remove(RequestId.MDC_KEY);
    }

    @Benchmark
    public void handlerAlone(Blackhole bh) throws Exception {
        request.headers().remove(RequestId.HEADER);
        bare.serve(writer, request);
        bh.consume(writer);
    }

    @Benchmark
    public void middlewareNewId(Blackhole bh) throws Exception {
        request.headers().remove(RequestId.HEADER);
        withId.serve(writer, request);
        bh.consume(writer);
    }

    @Benchmark
    public void middlewareClientId(Blackhole bh) throws Exception {
        request.headers().set(RequestId.HEADER, CLIENT_ID);
        withId.serve(writer, request);
        bh.consume(writer);
    }
}
