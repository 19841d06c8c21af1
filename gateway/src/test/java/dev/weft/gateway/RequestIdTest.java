package dev.weft.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.http.HttpResponse;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.MDC;

import dev.weft.http.RequestId;
import dev.weft.http.Server;

/** The request id through the gateway: the upstream gets the id the gateway logged and answered with. */
class RequestIdTest {
    private static final Pattern ID = Pattern.compile("(?i)\r\nX-Request-Id: ([^\r\n]*)\r\n");

    private final Harness h = new Harness();

    @AfterEach
    void tearDown() throws Exception {
        h.close();
    }

    /** A raw upstream that records the heads it reads. */
    private Upstreams.Broken recordingUpstream(boolean requestIds) throws Exception {
        Upstreams.Broken raw = h.upstreams.scripted("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok");
        h.start(Harness.config("""
                routes: [{pattern: /, upstream: app}]
                upstreams: {app: {instances: [%s]}}
                """.formatted(raw.hostPort())), requestIds);
        return raw;
    }

    private String base() {
        return "http://127.0.0.1:" + h.front().address().getPort();
    }

    /** Every X-Request-Id field of the head the upstream read. */
    private static List<String> idsSent(Upstreams.Broken upstream) {
        Matcher m = ID.matcher(upstream.heads.getLast());
        return m.results().map(r -> r.group(1)).toList();
    }

    @Test
    void theClientsIdGoesUpstreamOnceAndComesBack() throws Exception {
        Upstreams.Broken upstream = recordingUpstream(true);
        HttpResponse<String> r = h.get(base() + "/x", "X-Request-Id", "client-7f3a");
        assertEquals(200, r.statusCode());
        assertEquals(List.of("client-7f3a"), idsSent(upstream));
        assertEquals(List.of("client-7f3a"), r.headers().allValues("X-Request-Id"));
    }

    @Test
    void withoutOneTheGatewaysNewIdGoesUpstreamAndComesBack() throws Exception {
        Upstreams.Broken upstream = recordingUpstream(true);
        HttpResponse<String> r = h.get(base() + "/x");
        String id = r.headers().firstValue("X-Request-Id").orElseThrow();
        assertTrue(id.matches("[0-9a-f]{32}"), id);
        assertEquals(List.of(id), idsSent(upstream));
    }

    @Test
    void anUnusableIdIsReplacedBeforeItGoesUpstream() throws Exception {
        Upstreams.Broken upstream = recordingUpstream(true);
        HttpResponse<String> r = h.get(base() + "/x", "X-Request-Id", "x".repeat(RequestId.MAX_LENGTH + 1));
        String id = r.headers().firstValue("X-Request-Id").orElseThrow();
        assertTrue(id.matches("[0-9a-f]{32}"), id);
        assertEquals(List.of(id), idsSent(upstream));
    }

    @Test
    void aGatewayWithoutTheMiddlewareStillSendsAnId() throws Exception {
        Upstreams.Broken upstream = recordingUpstream(false);
        assertEquals(200, h.get(base() + "/x").statusCode());
        List<String> sent = idsSent(upstream);
        assertEquals(1, sent.size(), upstream.heads.getLast());
        assertTrue(sent.getFirst().matches("[0-9a-f]{32}"), sent.toString());
    }

    @Test
    void aWeftUpstreamLogsUnderTheGatewaysIdAndTheClientSeesItOnce() throws Exception {
        AtomicReference<String> upstreamMdc = new AtomicReference<>();
        Server app = h.upstreams.weft(RequestId.middleware().wrap((w, r) -> {
            upstreamMdc.set(MDC.get(RequestId.MDC_KEY));
            w.write("ok");
        }));
        h.start("""
                routes: [{pattern: /, upstream: app}]
                upstreams: {app: {instances: [%s]}}
                """.formatted(Upstreams.hostPort(app)));
        HttpResponse<String> r = h.get(base() + "/x");
        List<String> ids = r.headers().allValues("X-Request-Id");
        assertEquals(1, ids.size(), "the upstream's echo is not added to the gateway's: " + ids);
        assertEquals(ids.getFirst(), upstreamMdc.get(), "the upstream's log lines carry the gateway's id");
    }
}
