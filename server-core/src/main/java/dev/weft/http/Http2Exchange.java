package dev.weft.http;

import java.io.FilterInputStream;
import java.io.IOException;
import java.net.InetSocketAddress;

import javax.net.ssl.SSLSession;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;


/**
 * Serves the streams of one HTTP/2 connection with the server's {@link Handler}: each stream becomes a
 * {@link Request} (protocol {@code HTTP/2.0}, target {@code :path}, host {@code :authority}) and an
 * {@link Http2Response}, and is measured and logged as an HTTP/1.1 request is. Failures are answered as on HTTP/1.1:
 * a {@link RequestBodyException}'s status or 500 before the response is committed, a reset stream after; the other
 * streams of the connection carry on.
 */
final class Http2Exchange implements Http2Host {
    private static final Logger LOG = LoggerFactory.getLogger(Http2Exchange.class);
    private static final Logger ACCESS = LoggerFactory.getLogger("dev.weft.http.access");
    static final String PROTOCOL = "HTTP/2.0";

    private final Server server;
    private final InetSocketAddress remote;
    private final InetSocketAddress local;
    private final SSLSession tlsSession;

    Http2Exchange(Server server, InetSocketAddress remote, InetSocketAddress local, SSLSession tlsSession) {
        this.server = server;
        this.remote = remote;
        this.local = local;
        this.tlsSession = tlsSession;
    }

    @Override
    public void serve(Http2Stream stream) {
        long begin = System.nanoTime();
        ServerMetrics metrics = server.metrics();
        ServerConfig config = server.config();
        boolean head = "HEAD".equals(stream.method());
        Http2Response response = new Http2Response(stream, head, config.serverHeader());
        if (stream.headerListTooLarge()) {
            refuse(stream, response, 431, "request header fields larger than " + config.maxHeaderBytes() + " bytes");
            return;
        }
        if (stream.contentLength() > config.maxBodyBytes()) {
            refuse(stream, response, 413, "request body larger than " + config.maxBodyBytes() + " bytes");
            return;
        }
        Context context = new Context();
        Body body = new Body(stream);
        Request request = new Request(stream.method(), stream.path(), PROTOCOL, stream.headers(),
                stream.authority(), body, stream.contentLength(), remote, local, tlsSession, context);
        body.request = request;
        stream.onCancel(new Runnable() {
            @Override
            public void run() {
                context.cancel(stream.cancelledByServer() ? Context.Cause.SERVER_SHUTDOWN
                        : Context.Cause.CLIENT_GONE);
            }
        });
        metrics.requestStarted();
        try {
            server.handler().serve(response, request);
            response.finish();
        } catch (Throwable t) {
            handlerFailed(stream, request, response, t);
        }
        long took = System.nanoTime() - begin;
        metrics.requestFinished(request, response.status(), took);
        if (config.accessLog() && ACCESS.isInfoEnabled()) {
            RequestId.log(request, () -> ACCESS.info("{} \"{} {} {}\" {} {} {}us",
                    remote.getAddress().getHostAddress(), request.method(), request.target(), PROTOCOL,
                    response.status(), response.written(), took / 1000));
        }
    }

    private void refuse(Http2Stream stream, Http2Response response, int status, String message) {
        LOG.debug("refusing HTTP/2 stream {} from {}: {} {}", stream.id(), remote, status, message);
        server.metrics().requestRefused(status);
        try {
            response.replaceWithError(status, message);
        } catch (IOException e) {
            response.abort();
        }
    }

    private void handlerFailed(Http2Stream stream, Request request, Http2Response response, Throwable t) {
        if (t instanceof VirtualMachineError fatal && !(t instanceof StackOverflowError)) {
            response.abort();
            throw fatal;
        }
        int status = 500;
        for (Throwable cause = t; cause != null; cause = cause.getCause()) {
            if (cause instanceof RequestBodyException rbe) {
                status = rbe.status();
                break;
            }
        }
        // a client that reset the stream or closed the connection is not a failure of the handler's: the writes
        // it was making fail, and the connection's reader may not have cancelled the request's context yet
        boolean gone = request.context().isCancelled() || stream.isGone();
        if (status == 500 && !gone) {
            RequestId.log(request, () -> LOG.error("handler failed on {} {} from {} (HTTP/2)", request.method(),
                    request.target(), remote, t));
        } else {
            LOG.debug("handler gave up on {} {}: {}", request.method(), request.target(), t.toString());
        }
        try {
            if (gone || !response.replaceWithError(status, status == 500 ? null : t.getMessage())) {
                response.abort();
            }
        } catch (IOException e) {
            response.abort();
        }
    }

    /** The stream's body, which hands the request its trailers when it reaches the end. */
    private static final class Body extends FilterInputStream {
        private final Http2Stream stream;
        Request request;

        Body(Http2Stream stream) {
            super(stream.body());
            this.stream = stream;
        }

        @Override
        public int read() throws IOException {
            return ended(in.read());
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            return ended(in.read(b, off, len));
        }

        private int ended(int n) {
            if (n < 0) {
                Headers trailers = stream.trailers();
                if (trailers != null) {
                    request.setTrailers(trailers);
                }
            }
            return n;
        }
    }

    @Override
    public void defended(String attack, String detail) {
        server.metrics().http2Defence(attack);
        LOG.debug("HTTP/2 defence {} against {}: {}", attack, remote, detail);
    }

    @Override
    public void transferred(long in, long out) {
        server.metrics().transferred(in, out);
    }
}
