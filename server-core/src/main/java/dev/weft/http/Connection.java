package dev.weft.http;

import java.io.IOException;
import java.io.InputStream;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.util.Arrays;
import java.util.List;

import javax.net.ssl.SSLSession;
import javax.net.ssl.SSLSocket;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.weft.http.codec.FieldSink;
import dev.weft.http.codec.ParseException;
import dev.weft.http.codec.RequestHead;
import dev.weft.http.codec.RequestHeadParser;
import dev.weft.http.h2.ConnectionPreface;

/**
 * One client connection and the loop that serves it, as net/http's {@code conn.serve}: read a request head, build
 * the request, call the handler, complete the response, repeat while keep-alive holds and the server is not
 * shutting down. Runs on its own (virtual) thread; blocking reads and writes are the whole concurrency model.
 *
 * <p>This class owns the read side: an idle connection reads into a {@value #SMALL_INPUT}-byte array; when a read
 * fills it (a large request, a batch of pipelined ones, a body) the input moves to a buffer from the server's pool,
 * which goes back before the connection waits for its next request. The write side is the {@link OutputBuffer},
 * which the {@link Response} writes through and this loop flushes: responses to pipelined requests accumulate there
 * and leave in one write once no complete request is left in the input (or {@value #FLUSH_AT} bytes are pending),
 * and everything pending goes out before any read that may block. An idle keep-alive connection holds one small
 * array.
 *
 * <p>Deadlines: the wait for a request's first byte publishes an idle deadline that the server's sweeper enforces
 * by closing the connection; every later read of the request gets a socket timeout equal to the time left until its
 * deadline (header, or whole request), so a client trickling bytes cannot stretch it and is answered 408; writes
 * publish a deadline that the sweeper enforces by closing the socket.
 *
 * <p>HTTP/2: when the first octets of a connection are the HTTP/2 client preface (h2c by prior knowledge), or when
 * TLS negotiated {@code h2} through ALPN, the connection is handed to an {@link Http2Connection} for the rest of its
 * life, and the sweeper's and the shutdown's calls go to it. The preface is looked for once per connection, on its
 * first read: an HTTP/1.1 request costs one byte comparison per connection for it, none per request.
 */
final class Connection implements Runnable, FieldSink {
    private static final Logger LOG = LoggerFactory.getLogger(Connection.class);
    private static final Logger ACCESS = LoggerFactory.getLogger("dev.weft.http.access");

    static final int IDLE = 0;
    static final int ACTIVE = 1;
    static final int CLOSED = 2;
    private static final VarHandle STATE;

    static {
        try {
            STATE = MethodHandles.lookup().findVarHandle(Connection.class, "state", int.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /**
     * The input buffer of an idle connection: a typical request fits, a larger one or a batch of pipelined ones
     * moves to a pooled buffer (see {@link #enlarge}). Every idle connection holds one, so it is small; but a request
     * that does not fit costs a pooled buffer, a copy and a second read (with a socket-timeout change and a look at
     * what is pending). 512 bytes missed a browser's request without cookies (headless Chromium: 649 bytes for a
     * page, 576 for its icon) and wrk's pipelined batch of 16 (800 bytes); at 1 KiB both fit, for 512 bytes more per
     * idle connection than before, about a tenth of what one costs in all (see "Small idle connections").
     */
    static final int SMALL_INPUT = 1024;
    /** Output is written once this much has accumulated, even if more pipelined requests wait. */
    private static final int FLUSH_AT = 8 * 1024;
    private static final long LINGER_NANOS = 500_000_000L;
    private static final byte[] CONTINUE = OutputBuffer.ascii("HTTP/1.1 100 Continue\r\n\r\n");

    private final Server server;
    private final ServerConfig config;
    private final Socket socket;
    private final Handler handler;
    private final ServerMetrics metrics;
    private final RequestHeadParser parser;
    /** The request's header fields, reused across the requests of the connection; the parser hands them here. */
    private final Headers headers = new Headers(8);
    /** The head of the request being served; null while none has been parsed. */
    private RequestHead head;
    private final OutputBuffer out;
    private final Response response;
    private final FixedLengthBody fixedBody = new FixedLengthBody(this);
    private final FairShare readShare = new FairShare();
    private ChunkedBody chunkedBody;
    private final int maxInput;

    private InputStream in;
    private InetSocketAddress remote;
    private InetSocketAddress local;
    private SSLSession tlsSession;

    /** The buffer an idle connection reads into; kept for the connection's life. */
    private final byte[] small = new byte[SMALL_INPUT];
    /** Unread input is {@code buf[start, end)}: {@link #small}, or a pooled buffer while busy with more. */
    byte[] buf = small;
    int start;
    int end;

    @SuppressWarnings("unused") // through STATE
    private volatile int state = ACTIVE;
    /** System.nanoTime() by which the next request must start while the connection is idle. */
    private volatile long idleDeadline;
    /** The request being served, for cancellation and the shutdown report; null between requests. */
    volatile Request current;
    /** Set when the connection turned out to speak HTTP/2: it serves the rest. */
    private volatile Http2Connection h2;

    private int soTimeout = -1;
    private long readDeadline;
    private long bytesIn;
    private boolean continueSent;
    private boolean bodyFailed;

    Connection(Server server, Socket socket) throws IOException {
        this.server = server;
        this.config = server.config();
        this.socket = socket;
        this.handler = server.handler();
        this.metrics = server.metrics();
        this.parser = new RequestHeadParser(config.maxRequestLineBytes(), config.maxHeaderBytes());
        this.out = new OutputBuffer(socket.getOutputStream(), server.pool(), server.writeTimeoutNanos(),
                new Runnable() { // not a lambda: see "Start-up" in the README
                    @Override
                    public void run() {
                        writeFailed();
                    }
                });
        this.response = new Response(this, out, config.serverHeader());
        this.maxInput = 2 * config.maxRequestLineBytes() + config.maxHeaderBytes() + 8192;
    }

    @Override
    public void run() {
        try {
            remote = (InetSocketAddress) socket.getRemoteSocketAddress();
            local = (InetSocketAddress) socket.getLocalSocketAddress();
            if (socket instanceof SSLSocket ssl) {
                setTimeout(server.readHeaderTimeoutMillis());
                ssl.startHandshake();
                tlsSession = ssl.getSession();
            }
            in = socket.getInputStream();
            if (socket instanceof SSLSocket ssl && "h2".equals(ssl.getApplicationProtocol())) {
                serveHttp2();
                return;
            }
            serveRequests();
        } catch (IOException | RuntimeException e) {
            LOG.debug("connection from {} ended: {}", remote, e.toString());
        } finally {
            Request r = current;
            if (r != null) {
                r.context().cancel(Context.Cause.CLIENT_GONE);
            }
            reportTransferred();
            closeSocket();
            releaseBuffers();
            server.connectionClosed(this);
        }
    }

    private void serveRequests() throws IOException {
        boolean first = true;
        while (true) {
            if (start == end) {
                if (!awaitRequest(first)) {
                    return;
                }
            }
            if (first && buf[start] == 'P' && awaitPreface()) {
                serveHttp2();
                return;
            }
            first = false;
            long headStart = System.nanoTime();
            readDeadline = headStart + server.readHeaderTimeoutNanos();
            if (!readHead()) {
                return;
            }
            if (!serveOne(headStart)) {
                out.flush();
                lingerBeforeClose();
                return;
            }
            if (out.pending() >= FLUSH_AT) {
                out.flush();
            }
        }
    }

    /** Waits for the first bytes of the next request with nothing held but the small input buffer. */
    private boolean awaitRequest(boolean first) throws IOException {
        out.flush();
        releaseBuffers();
        start = 0;
        end = 0;
        idleDeadline = System.nanoTime() + (first ? server.readHeaderTimeoutNanos() : server.idleTimeoutNanos());
        state = IDLE;
        if (server.isShuttingDown()) {
            return false;
        }
        setTimeout(0);
        int n = in.read(buf, 0, buf.length);
        if (n < 0 || !STATE.compareAndSet(this, IDLE, ACTIVE)) {
            return false;
        }
        end = n;
        bytesIn += n;
        if (n == buf.length) {
            enlarge();
        }
        return true;
    }

    /**
     * Reads on while the first octets may still be the HTTP/2 client preface; true when they are. Within the
     * request-header deadline; a client that stops part way is then answered as an HTTP/1.1 one.
     */
    private boolean awaitPreface() throws IOException {
        readDeadline = System.nanoTime() + server.readHeaderTimeoutNanos();
        while (ConnectionPreface.isPrefix(buf, start, end)) {
            if (end - start >= ConnectionPreface.LENGTH) {
                return true;
            }
            try {
                if (!fill()) {
                    return false;
                }
            } catch (SocketTimeoutException e) {
                return false;
            }
        }
        return false;
    }

    /** Serves the rest of the connection as HTTP/2, starting with the input read so far (the preface, or none). */
    private void serveHttp2() throws IOException {
        byte[] initial = Arrays.copyOfRange(buf, start, end);
        start = 0;
        end = 0;
        releaseBuffers();
        reportTransferred();
        Http2Connection c = new Http2Connection(socket, in, socket.getOutputStream(), server.http2Limits(),
                new Http2Exchange(server, remote, local, tlsSession));
        h2 = c;
        c.serve(initial, 0, initial.length);
    }

    /** Moves the unread input into a pooled buffer: more is coming than the small buffer holds. */
    private void enlarge() {
        byte[] big = server.pool().acquire();
        System.arraycopy(buf, start, big, 0, end - start);
        end -= start;
        start = 0;
        buf = big;
    }

    private void releaseBuffers() {
        out.releaseBuffer();
        if (buf != small) {
            server.pool().release(buf);
            buf = small;
        }
    }

    /**
     * Called by the deadline sweeper: closes the connection if it has waited for a request past its idle deadline.
     * The idle read itself has no socket timeout, because a timed park costs a timer registration and cancellation
     * on every keep-alive request, while the sweeper's scan costs one volatile read per connection per tick.
     */
    boolean closeIfIdleExpired(long now) {
        Http2Connection c = h2;
        if (c != null) {
            return c.closeIfIdleExpired(now);
        }
        return state == IDLE && now - idleDeadline > 0 && closeIfIdle();
    }

    /** True while an HTTP/1.1 connection waits for its next request (what {@link #closeIfIdle} would close). */
    boolean isIdle() {
        return state == IDLE && h2 == null;
    }

    /**
     * Marks an idle connection closed; false if it is busy (it will close itself after its response). An HTTP/2
     * connection sends GOAWAY and closes after its open streams.
     */
    boolean closeIfIdle() {
        Http2Connection c = h2;
        if (c != null) {
            return c.shutdownGracefully();
        }
        if (STATE.compareAndSet(this, IDLE, CLOSED)) {
            closeSocket();
            return true;
        }
        return false;
    }

    private boolean readHead() throws IOException {
        head = null;
        headers.clear();
        while (true) {
            RequestHead h;
            try {
                h = parser.parse(buf, start, end, this);
            } catch (ParseException pe) {
                refuse(pe.status(), pe.getMessage());
                return false;
            }
            if (h != null) {
                head = h;
                start = h.end();
                return true;
            }
            try {
                if (!fill()) {
                    return false;
                }
            } catch (SocketTimeoutException te) {
                refuse(408, "request header not received in time");
                return false;
            }
        }
    }

    /** Answers a request that never reaches a handler, and closes. */
    private void refuse(int status, String message) throws IOException {
        LOG.debug("refusing request from {}: {} {}", remote, status, message);
        response.reset(true, false);
        response.replaceWithError(status, message);
        metrics.requestRefused(status);
        out.flush();
        lingerBeforeClose();
    }

    /**
     * Half-closes and reads what the client still sends, for a moment, before the socket is closed: closing with
     * unread input makes the kernel send a reset, which can destroy the response before the client reads it (a 413
     * answered while the body is still arriving, for instance). Net/http does the same. Not possible on TLS.
     */
    private void lingerBeforeClose() {
        if (socket instanceof SSLSocket || socket.isClosed()) {
            return;
        }
        reportTransferred();
        try {
            socket.shutdownOutput();
            readDeadline = System.nanoTime() + LINGER_NANOS;
            long budget = config.maxDrainBytes();
            start = 0;
            end = 0;
            while (budget > 0 && fill()) {
                budget -= end - start;
                start = 0;
                end = 0;
            }
        } catch (IOException ignored) {
            // the client closed, reset, or kept sending past the deadline: close now either way
        }
    }

    private boolean serveOne(long headStart) throws IOException {
        RequestHead h = head;
        if (h.contentLength() > config.maxBodyBytes()) {
            refuse(413, "request body larger than " + config.maxBodyBytes() + " bytes");
            return false;
        }
        readDeadline = headStart + server.readTimeoutNanos();
        continueSent = false;
        bodyFailed = false;
        InputStream body;
        long length;
        if (h.chunked()) {
            if (chunkedBody == null) {
                chunkedBody = new ChunkedBody(this, config.maxHeaderBytes(), config.maxBodyBytes());
            }
            body = chunkedBody.begin();
            length = -1;
        } else if (h.contentLength() > 0) {
            body = fixedBody.begin(h.contentLength());
            length = h.contentLength();
        } else {
            body = fixedBody.begin(0);
            length = 0;
        }
        Request request = new Request(h.method(), h.target(), h.version(), headers, h.host(), body, length, remote,
                local, tlsSession, new Context());
        if (h.chunked()) {
            chunkedBody.attach(request);
        }
        response.reset(h.http11(), h.isHead());
        current = request;
        metrics.requestStarted();
        boolean ok = true;
        try {
            handler.serve(response, request);
            response.finish();
        } catch (Throwable t) {
            ok = handlerFailed(request, t);
        } finally {
            current = null;
        }
        boolean keep = ok && !response.closeAfter() && drainBody();
        long took = System.nanoTime() - headStart;
        if (keep && start == end) {
            // Nothing pipelined behind it: the response leaves before the bookkeeping, as HTTP/2's do. The first
            // request of each route and status registers its timer, tens of milliseconds of class loading and
            // interpreted Micrometer code the client need not wait for (the first 200 of a service's start).
            out.flush();
        }
        metrics.requestFinished(request, response.status(), took);
        reportTransferred();
        if (config.accessLog() && ACCESS.isInfoEnabled()) {
            RequestId.log(request, () -> ACCESS.info("{} \"{} {} {}\" {} {} {}us",
                    remote.getAddress().getHostAddress(), h.method(), h.target(), h.version(), response.status(),
                    response.written(), took / 1000));
        }
        return keep;
    }

    private void reportTransferred() {
        metrics.transferred(bytesIn, out.takeWritten());
        bytesIn = 0;
    }

    /** Reacts to a handler exception; returns false: the connection closes after what could be sent. */
    private boolean handlerFailed(Request request, Throwable t) throws IOException {
        if (t instanceof VirtualMachineError fatal && !(t instanceof StackOverflowError)) {
            throw fatal;
        }
        int status = 500;
        Throwable cause = t;
        while (cause != null) {
            if (cause instanceof RequestBodyException rbe) {
                status = rbe.status();
                break;
            }
            cause = cause.getCause();
        }
        if (status == 500 && !(t instanceof IOException && socket.isClosed())) {
            RequestId.log(request, () -> LOG.error("handler failed on {} {} from {}", request.method(),
                    request.target(), remote, t));
        } else {
            LOG.debug("handler gave up on {} {}: {}", request.method(), request.target(), t.toString());
        }
        if (socket.isClosed() || !response.replaceWithError(status, status == 500 ? null : t.getMessage())) {
            response.abort();
        }
        return false;
    }

    /** Reads and discards what the handler left of the body, within the drain limit; false to close instead. */
    private boolean drainBody() {
        if (bodyFailed) {
            return false;
        }
        try {
            if (head.chunked()) {
                if (chunkedBody.done()) {
                    return true;
                }
                if (head.expectContinue() && !continueSent) {
                    return false;
                }
                return discard(chunkedBody);
            }
            if (fixedBody.done()) {
                return true;
            }
            if ((head.expectContinue() && !continueSent) || fixedBody.remaining() > config.maxDrainBytes()) {
                return false;
            }
            return discard(fixedBody);
        } catch (IOException e) {
            return false;
        }
    }

    private boolean discard(InputStream body) throws IOException {
        long budget = config.maxDrainBytes();
        byte[] sink = new byte[4096];
        int n;
        while ((n = body.read(sink, 0, sink.length)) >= 0) {
            budget -= n;
            if (budget < 0) {
                return false;
            }
        }
        return true;
    }

    /** Whether the response being committed must announce and cause the end of the connection. */
    boolean mustCloseAfterResponse() {
        RequestHead h = head;
        if (h == null || !h.keepAlive() || server.isShuttingDown() || bodyFailed) {
            return true;
        }
        if (h.chunked()) {
            return !chunkedBody.done() && h.expectContinue() && !continueSent;
        }
        if (!fixedBody.done()) {
            return (h.expectContinue() && !continueSent) || fixedBody.remaining() > config.maxDrainBytes();
        }
        return false;
    }

    /** Sends {@code 100 Continue} before the first body read if the client asked for it and nothing was answered. */
    void continueIfExpected() throws IOException {
        if (head.expectContinue() && !continueSent && !response.committed()) {
            continueSent = true;
            out.write(CONTINUE, 0, CONTINUE.length);
            out.flush();
        }
    }

    int buffered() {
        return end - start;
    }

    void take(byte[] b, int off, int n) {
        System.arraycopy(buf, start, b, off, n);
        start += n;
    }

    /** Reads more body bytes; end of stream, a timeout or a broken socket become a {@link RequestBodyException}. */
    void fillBody() throws RequestBodyException {
        if (buf == small) {
            enlarge();
        }
        try {
            if (fill()) {
                return;
            }
            bodyFailed = true;
            Request r = current;
            if (r != null) {
                r.context().cancel(Context.Cause.CLIENT_GONE);
            }
            throw new RequestBodyException(400, "request body ended early");
        } catch (SocketTimeoutException e) {
            bodyFailed = true;
            throw new RequestBodyException(408, "request body not received in time", e);
        } catch (RequestBodyException e) {
            throw e;
        } catch (IOException e) {
            bodyFailed = true;
            throw new RequestBodyException(400, "request body could not be read: " + e.getMessage(), e);
        }
    }

    /**
     * Reads more input behind the unread bytes, waiting until the current read deadline. Pending complete output is
     * written first when the read may block, so a client never waits for answers the server is sitting on; when
     * more input is already there (the rest of a pipelined batch) the answers keep accumulating for one write.
     * Returns false at end of stream.
     */
    private boolean fill() throws IOException {
        if (out.pending() > 0 && in.available() == 0) {
            out.flush();
        }
        if (end == buf.length) {
            if (start > 0) {
                System.arraycopy(buf, start, buf, 0, end - start);
                end -= start;
                start = 0;
            } else if (buf == small) {
                enlarge();
            } else if (buf.length < maxInput) {
                buf = Arrays.copyOf(buf, Math.min(maxInput, buf.length * 2));
            } else {
                throw new IOException("input buffer limit reached");
            }
        } else if (start == end) {
            start = 0;
            end = 0;
        }
        long left = readDeadline - System.nanoTime();
        if (left <= 0) {
            throw new SocketTimeoutException("read deadline passed");
        }
        setTimeout((int) Math.min(Integer.MAX_VALUE, Math.max(1, (left + 999_999) / 1_000_000)));
        int n = in.read(buf, end, buf.length - end);
        if (n < 0) {
            return false;
        }
        end += n;
        bytesIn += n;
        readShare.moved(n);
        return true;
    }

    private void setTimeout(int millis) throws IOException {
        if (millis != soTimeout) {
            socket.setSoTimeout(millis);
            soTimeout = millis;
        }
    }

    /** Called by the deadline sweeper: true if a write has been blocked past its deadline. */
    boolean writeOverdue(long now) {
        Http2Connection c = h2;
        return c != null ? c.writeOverdue(now) : out.writeOverdue(now);
    }

    /** Adds the requests being served, as {@code GET /slow from /10.0.0.7:51234}, to {@code into}. */
    void inFlight(List<String> into) {
        Http2Connection c = h2;
        if (c != null) {
            List<String> streams = new java.util.ArrayList<>();
            c.inFlight(streams);
            for (String s : streams) {
                into.add(s + " from " + remote);
            }
            return;
        }
        Request r = current;
        if (r != null) {
            into.add(r.method() + " " + r.target() + " from " + r.remoteAddress());
        }
    }

    /** Receives a request's header fields from the parser. */
    @Override
    public void field(String name, String value) {
        headers.add(name, value);
    }

    /** A write failed or was cut off by the sweeper: the request being served, if any, learns it. */
    private void writeFailed() {
        Request r = current;
        if (r != null) {
            r.context().cancel(Context.Cause.WRITE_FAILED);
        }
    }

    /** Closes the socket now, cancelling the current request's context with {@code cause}. */
    void forceClose(Context.Cause cause) {
        Http2Connection c = h2;
        if (c != null) {
            c.forceClose();
        }
        state = CLOSED;
        Request r = current;
        if (r != null) {
            r.context().cancel(cause);
        }
        closeSocket();
    }

    private void closeSocket() {
        try {
            socket.close();
        } catch (IOException ignored) {
            // nothing left to do with a socket that fails to close
        }
    }
}
