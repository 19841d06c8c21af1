package dev.weft.gateway.proxy;

import java.io.IOException;
import java.io.OutputStream;
import java.net.SocketTimeoutException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.ReentrantLock;

import dev.weft.gateway.auth.Principal;
import dev.weft.gateway.balance.Instance;
import dev.weft.gateway.balance.UpstreamGroup;
import dev.weft.gateway.client.ClientBodyException;
import dev.weft.gateway.client.ResponseBody;
import dev.weft.gateway.client.ResponseHead;
import dev.weft.gateway.client.UpstreamConnection;
import dev.weft.gateway.config.RouteConfig;
import dev.weft.gateway.health.PassiveHealth;
import dev.weft.gateway.metrics.GatewayMetrics;
import dev.weft.gateway.metrics.GatewayMetrics.RouteMetrics;
import dev.weft.http.Handler;
import dev.weft.http.Headers;
import dev.weft.http.Request;
import dev.weft.http.RequestId;
import dev.weft.http.Responses;
import dev.weft.http.ResponseWriter;

/**
 * Forwards a request to an instance of the route's upstream group and streams the answer back, as nginx's
 * {@code proxy_pass} or Go's {@code httputil.ReverseProxy}.
 *
 * <ul>
 *   <li>Bodies stream both ways through a 16 KiB buffer, never held whole: a request body of known length goes
 *       upstream with its Content-Length, one of unknown length chunked; the response keeps its Content-Length,
 *       and a chunked one is re-framed by the server. The response is flushed whenever the upstream has nothing
 *       more buffered, so streamed responses (server-sent events) are not held back.</li>
 *   <li>Hop-by-hop fields are dropped both ways; {@code X-Forwarded-For} gets the client address appended,
 *       {@code X-Forwarded-Proto} and {@code X-Forwarded-Host} are set; the client's {@code Host} is kept. The
 *       subject header is always removed from the client's request and set only from a verified principal.
 *       {@code X-Request-Id} is the request's id ({@link RequestId#of}): the one the gateway logs and answers
 *       with, the client's own when usable, sent once; the upstream's echo of it is not copied into a response
 *       that already has it.</li>
 *   <li>Timeouts per route: connect; response headers (from sending to the status line, and also the longest
 *       pause between two reads of the response body, as nginx's {@code proxy_read_timeout}); and total (the
 *       whole exchange, body included). Too slow gives 504; refused, reset or garbled gives 502.</li>
 *   <li>Retries on another instance happen only for idempotent methods (GET, HEAD, OPTIONS, TRACE, PUT, DELETE)
 *       without a body, only before any response byte reached the client, and at most {@code retries} times.
 *       A connection that could not be opened carried nothing, so any method moves on to another instance then;
 *       a request that was sent is never sent twice unless it is idempotent.</li>
 *   <li>A pooled connection that the upstream had closed while idle fails before any byte comes back; an
 *       idempotent request is then sent again on a fresh connection to the same instance, which counts as neither
 *       a failure nor a retry.</li>
 * </ul>
 */
public final class ForwardingHandler implements Handler {
    private static final int BUFFER = 16 * 1024;

    private final RouteConfig route;
    private final UpstreamGroup group;
    private final PassiveHealth health;
    private final GatewayMetrics metrics;
    private final RouteMetrics routeMetrics;
    private final String subjectHeader;
    private final long connectTimeoutMillis;
    private final long responseHeaderTimeoutNanos;
    private final long totalNanos;

    public ForwardingHandler(RouteConfig route, UpstreamGroup group, PassiveHealth health, GatewayMetrics metrics,
                             RouteMetrics routeMetrics, String subjectHeader) {
        this.route = route;
        this.group = group;
        this.health = health;
        this.metrics = metrics;
        this.routeMetrics = routeMetrics;
        this.subjectHeader = subjectHeader;
        this.connectTimeoutMillis = route.connectTimeout().toMillis();
        this.responseHeaderTimeoutNanos = route.responseHeaderTimeout().toNanos();
        this.totalNanos = route.totalTimeout().toNanos();
    }

    @Override
    public void serve(ResponseWriter w, Request r) throws Exception {
        long start = System.nanoTime();
        try {
            forward(w, r, start + totalNanos);
        } finally {
            routeMetrics.request(w.status(), System.nanoTime() - start);
        }
    }

    private void forward(ResponseWriter w, Request r, long deadline) throws Exception {
        long bodyLength = r.contentLength();
        boolean replayable = bodyLength == 0 && idempotent(r.method());
        HeadBuffer head = requestHead(r, upstreamTarget(r), bodyLength);
        List<Instance> tried = List.of();
        UpstreamFailure last = null;
        for (int attempt = 0; ; attempt++) {
            Instance instance = group.pick(tried);
            if (instance == null) {
                break;
            }
            if (attempt > 0) {
                routeMetrics.retry();
            }
            instance.begin();
            try {
                exchange(w, r, instance, head, bodyLength, replayable, deadline);
                return;
            } catch (AttemptFailed f) {
                last = f.failure;
                if (!f.retryable || attempt >= route.retries() || System.nanoTime() - deadline >= 0) {
                    break;
                }
                if (tried.isEmpty()) {
                    tried = new ArrayList<>(route.retries() + 1);
                }
                tried.add(instance);
            } finally {
                instance.end();
            }
        }
        if (last == null) {
            Responses.text(w, 502, "bad gateway: upstream " + group.name() + " has no instance\n");
        } else if (last.status == 504) {
            Responses.text(w, 504, "gateway timeout: upstream " + group.name() + " did not answer in time\n");
        } else {
            Responses.text(w, 502, "bad gateway: upstream " + group.name() + " failed\n");
        }
    }

    /** One attempt at one instance; throws {@link AttemptFailed} when it failed before the response began. */
    private void exchange(ResponseWriter w, Request r, Instance instance, HeadBuffer head, long bodyLength,
                          boolean replayable, long deadline) throws Exception {
        UpstreamConnection c = connect(instance, false, deadline);
        long receivedBefore = c.received();
        BodySender sender = null;
        ResponseHead response;
        try {
            c.deadline(System.nanoTime() + Math.min(responseHeaderTimeoutNanos, deadline - System.nanoTime()));
            c.sendHead(head.bytes(), head.length());
            if (bodyLength != 0) {
                sender = BodySender.start(c, r.body(), bodyLength);
            }
            response = c.readHead(r.method());
        } catch (IOException e) {
            c.close();
            if (sender != null) {
                sender.join();
                if (sender.clientFailure() != null) {
                    throw clientFailure(sender.clientFailure());
                }
            }
            boolean stale = c.reused() && c.received() == receivedBefore && !(e instanceof SocketTimeoutException);
            if (!stale || !replayable) {
                throw failed(instance, e, replayable, !stale);
            }
            c = connect(instance, true, deadline);
            try {
                c.deadline(System.nanoTime() + Math.min(responseHeaderTimeoutNanos, deadline - System.nanoTime()));
                c.sendHead(head.bytes(), head.length());
                response = c.readHead(r.method());
            } catch (IOException again) {
                c.close();
                throw failed(instance, again, replayable, true);
            }
        }
        health.onSuccess(instance);
        relay(w, r, instance, c, sender, response, deadline);
    }

    private UpstreamConnection connect(Instance instance, boolean fresh, long deadline) throws AttemptFailed {
        int timeout = (int) Math.min(connectTimeoutMillis, remainingMillis(deadline));
        try {
            return fresh ? instance.pool().open(timeout) : instance.pool().acquire(timeout);
        } catch (IOException e) {
            UpstreamFailure f = UpstreamFailure.ofConnect(e);
            health.onFailure(instance);
            metrics.upstreamError(group.name(), instance.name(), f.metricKind);
            throw new AttemptFailed(f, true);
        }
    }

    private AttemptFailed failed(Instance instance, IOException e, boolean retryable, boolean countAgainstInstance) {
        UpstreamFailure f = UpstreamFailure.ofExchange(e);
        if (countAgainstInstance) {
            health.onFailure(instance);
        }
        metrics.upstreamError(group.name(), instance.name(), f.metricKind);
        return new AttemptFailed(f, retryable);
    }

    private static Exception clientFailure(IOException e) {
        return e.getCause() instanceof Exception cause ? cause : e;
    }

    /** Sends the upstream's status, headers and body to the client. */
    private void relay(ResponseWriter w, Request r, Instance instance, UpstreamConnection c, BodySender sender,
                       ResponseHead response, long deadline) throws IOException {
        boolean clean = false;
        try {
            ResponseBody body = c.body(response);
            Headers from = response.headers();
            Headers to = w.headers();
            String connection = response.connection();
            for (int i = 0; i < from.size(); i++) {
                String name = from.name(i);
                // the response's own request id wins over the upstream's echo; looked for only when there is one
                if (HopByHop.is(name, connection)
                        || (name.equalsIgnoreCase(RequestId.HEADER) && to.contains(RequestId.HEADER))) {
                    continue;
                }
                to.add(name, from.value(i));
            }
            ReentrantLock lock = sender == null ? null : sender.clientLock();
            lock(lock);
            try {
                w.writeHeader(response.status());
            } finally {
                unlock(lock);
            }
            if (!body.isDone()) {
                copy(w, instance, c, body, lock, deadline);
            }
            clean = body.isDone();
        } finally {
            if (sender != null && !sender.sentAll()) {
                // the upstream answered without taking the whole body: what is left cannot stay on the connection
                clean = false;
                c.close();
                sender.join();
            }
            if (clean) {
                instance.pool().release(c);
            } else {
                c.close();
            }
        }
    }

    private void copy(ResponseWriter w, Instance instance, UpstreamConnection c, ResponseBody body,
                      ReentrantLock lock, long deadline) throws IOException {
        OutputStream out = w.body();
        lock(lock);
        try {
            if (body.transferIfBuffered(out)) {
                return;
            }
        } finally {
            unlock(lock);
        }
        long declared = body.declaredLength();
        byte[] buffer = new byte[declared > 0 ? (int) Math.min(declared, BUFFER) : BUFFER];
        while (true) {
            int n;
            try {
                long now = System.nanoTime();
                long left = deadline - now;
                if (left <= 0) {
                    throw new SocketTimeoutException("total timeout of " + route.totalTimeout() + " passed");
                }
                c.deadline(now + Math.min(responseHeaderTimeoutNanos, left));
                n = body.read(buffer, 0, buffer.length);
            } catch (IOException e) {
                UpstreamFailure f = UpstreamFailure.ofExchange(e);
                metrics.upstreamError(group.name(), instance.name(), f.metricKind);
                if (f != UpstreamFailure.TIMEOUT) {
                    health.onFailure(instance);
                }
                throw new IOException("upstream " + instance.name() + " failed in the middle of the body: " + e, e);
            }
            if (n < 0) {
                return;
            }
            lock(lock);
            try {
                out.write(buffer, 0, n);
                if (body.available() == 0 && !body.isDone()) {
                    w.flush();
                }
            } finally {
                unlock(lock);
            }
            if (body.isDone()) {
                return;
            }
        }
    }

    private static void lock(ReentrantLock lock) {
        if (lock != null) {
            lock.lock();
        }
    }

    private static void unlock(ReentrantLock lock) {
        if (lock != null) {
            lock.unlock();
        }
    }

    /** The request line and header section sent upstream. */
    HeadBuffer requestHead(Request r, String target, long bodyLength) {
        Headers h = r.headers();
        HeadBuffer head = new HeadBuffer(256 + h.size() * 48);
        head.text(r.method()).text(" ").text(target).text(" HTTP/1.1").crlf();
        String connection = h.get("Connection");
        String forwardedFor = null;
        boolean host = false;
        for (int i = 0; i < h.size(); i++) {
            String name = h.name(i);
            if (name.equalsIgnoreCase("X-Forwarded-For")) {
                forwardedFor = forwardedFor == null ? h.value(i) : forwardedFor + ", " + h.value(i);
                continue;
            }
            if (HopByHop.is(name, connection) || name.equalsIgnoreCase("Content-Length")
                    || name.equalsIgnoreCase("Expect") || name.equalsIgnoreCase("X-Forwarded-Proto")
                    || name.equalsIgnoreCase("X-Forwarded-Host") || name.equalsIgnoreCase(subjectHeader)
                    || name.equalsIgnoreCase(RequestId.HEADER)) {
                continue;
            }
            if (name.equalsIgnoreCase("Host")) {
                host = true;
            }
            head.field(name, h.value(i));
        }
        if (!host) {
            head.field("Host", group.name());
        }
        String client = r.remoteAddress().getAddress().getHostAddress();
        head.text("X-Forwarded-For: ");
        if (forwardedFor != null) {
            head.text(forwardedFor).text(", ");
        }
        head.text(client).crlf();
        head.field("X-Forwarded-Proto", r.isTls() ? "https" : "http");
        if (r.host() != null) {
            head.field("X-Forwarded-Host", r.host());
        }
        head.field(RequestId.HEADER, RequestId.of(r));
        Principal p = Principal.of(r);
        if (p != null) {
            head.field(subjectHeader, p.subject());
        }
        if (bodyLength > 0) {
            head.text("Content-Length: ").number(bodyLength).crlf();
        } else if (bodyLength < 0) {
            head.field("Transfer-Encoding", "chunked");
        } else if (r.method().equals("POST") || r.method().equals("PUT") || r.method().equals("PATCH")) {
            head.field("Content-Length", "0");
        }
        return head.crlf();
    }

    /** The request-target sent upstream: the path without the route's prefix, and the query. */
    String upstreamTarget(Request r) {
        String path = r.path();
        String prefix = route.stripPrefix();
        if (!prefix.isEmpty() && path.startsWith(prefix)
                && (path.length() == prefix.length() || path.charAt(prefix.length()) == '/')) {
            path = path.length() == prefix.length() ? "/" : path.substring(prefix.length());
        }
        String query = r.rawQuery();
        return query.isEmpty() ? path : path + "?" + query;
    }

    private static boolean idempotent(String method) {
        return switch (method) {
            case "GET", "HEAD", "OPTIONS", "TRACE", "PUT", "DELETE" -> true;
            default -> false;
        };
    }

    private static long remainingMillis(long deadline) {
        return Math.max(0, (deadline - System.nanoTime()) / 1_000_000);
    }

    /** An attempt failed before any response byte reached the client. */
    private static final class AttemptFailed extends Exception {
        final UpstreamFailure failure;
        final boolean retryable;

        AttemptFailed(UpstreamFailure failure, boolean retryable) {
            super(failure.name(), null, false, false);
            this.failure = failure;
            this.retryable = retryable;
        }
    }
}
