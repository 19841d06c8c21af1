package dev.weft.http;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.ThreadLocalRandom;

import org.slf4j.MDC;

/**
 * The id that ties together everything one request caused: its log lines, its access-log line, its response, and
 * the requests it made upstream. It comes from the request's {@value #HEADER} header when that is a usable id, as
 * a gateway or load balancer in front sends it; otherwise it is a new one.
 *
 * <p>{@link #middleware()} gives every request its id: it is in the SLF4J MDC under {@value #MDC_KEY} while the
 * handlers after it run (removed when they return), it is echoed in the response's {@value #HEADER}, and it
 * replaces the request's own {@value #HEADER} field when that was missing or unusable, so that code reading the
 * header, the access log and a proxy forwarding the request all see the same id (as Envoy does). The service
 * skeleton and the standalone gateway install it first in their chain.
 *
 * <p>A usable id is 1 to {@value #MAX_LENGTH} visible ASCII characters (no space, no control character): a UUID,
 * a W3C trace id, AWS's {@code Root=1-...} all pass; anything else a client sends is replaced rather than written
 * into log lines. A new id is 32 hex digits, 128 bits from {@link ThreadLocalRandom}: unique enough to find one
 * request among billions, with no shared state to contend on, unlike {@code UUID.randomUUID()}, whose
 * {@code SecureRandom} every request thread would share. An id is a correlation key, not a secret.
 */
public final class RequestId {
    /** The request and response header. */
    public static final String HEADER = "X-Request-Id";
    /** The MDC key: {@code request_id}, a top-level field of each JSON log line. */
    public static final String MDC_KEY = "request_id";
    /** The longest id taken from a request. */
    public static final int MAX_LENGTH = 128;

    private static final byte[] HEX = "0123456789abcdef".getBytes(StandardCharsets.US_ASCII);
    private static final Middleware MIDDLEWARE = next -> (w, r) -> {
        String id = of(r);
        w.headers().set(HEADER, id);
        MDC.put(MDC_KEY, id);
        try {
            next.serve(w, r);
        } finally {
            MDC.remove(MDC_KEY);
        }
    };

    private RequestId() {}

    /** The middleware that gives each request its id; put it first, so that every later step logs with it. */
    public static Middleware middleware() {
        return MIDDLEWARE;
    }

    /**
     * The id of {@code r}: its {@value #HEADER} when usable, else a new id, which then replaces that header so that
     * the next call, and whatever forwards the request, gets the same.
     */
    public static String of(Request r) {
        String id = r.header(HEADER);
        if (id != null && isUsable(id)) {
            return id;
        }
        id = newId();
        r.headers().set(HEADER, id);
        return id;
    }

    /** True for 1 to {@value #MAX_LENGTH} characters from {@code !} to {@code ~}. */
    public static boolean isUsable(String id) {
        int n = id.length();
        if (n == 0 || n > MAX_LENGTH) {
            return false;
        }
        for (int i = 0; i < n; i++) {
            char c = id.charAt(i);
            if (c <= ' ' || c > '~') {
                return false;
            }
        }
        return true;
    }

    /** A new id: 32 lower-case hex digits. */
    public static String newId() {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        byte[] b = new byte[32];
        hex(b, 0, random.nextLong());
        hex(b, 16, random.nextLong());
        return new String(b, StandardCharsets.ISO_8859_1);
    }

    private static void hex(byte[] b, int at, long v) {
        for (int i = at + 15; i >= at; i--) {
            b[i] = HEX[(int) (v & 0xF)];
            v >>>= 4;
        }
    }

    /**
     * Runs {@code log}, a line the server writes about a request after its handlers returned (its access-log line,
     * the handler's failure), with the request's id in the MDC, when the request carries a usable one.
     */
    static void log(Request r, Runnable log) {
        String id = r.header(HEADER);
        if (id == null || !isUsable(id) || MDC.get(MDC_KEY) != null) {
            log.run();
            return;
        }
        MDC.put(MDC_KEY, id);
        try {
            log.run();
        } finally {
            MDC.remove(MDC_KEY);
        }
    }
}
