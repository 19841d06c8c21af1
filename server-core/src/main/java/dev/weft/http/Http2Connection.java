package dev.weft.http;

import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;

import javax.net.ssl.SSLSocket;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.weft.http.h2.ConnectionError;
import dev.weft.http.h2.ConnectionPreface;
import dev.weft.http.h2.ErrorCode;
import dev.weft.http.h2.FieldBlock;
import dev.weft.http.h2.FieldBlockAssembler;
import dev.weft.http.h2.FieldSink;
import dev.weft.http.h2.FlowControlWindow;
import dev.weft.http.h2.Frame;
import dev.weft.http.h2.FrameParser;
import dev.weft.http.h2.FrameType;
import dev.weft.http.h2.FrameWriter;
import dev.weft.http.h2.HpackDecoder;
import dev.weft.http.h2.HpackEncoder;
import dev.weft.http.h2.Http2Exception;
import dev.weft.http.h2.Http2Limits;
import dev.weft.http.h2.Setting;
import dev.weft.http.h2.Settings;
import dev.weft.http.h2.StreamError;
import dev.weft.http.h2.StreamState;

/**
 * One HTTP/2 connection (RFC 9113) and the loop that serves it: the server's side of h2c by prior knowledge, handed
 * over by the HTTP/1.1 connection when the client's first octets are the connection preface, and of h2 over TLS when
 * ALPN chose {@code h2}.
 *
 * <p>Threads. The thread that calls {@link #serve} is the connection's reader: it alone reads the socket, parses
 * frames, decodes field blocks (the HPACK decoder is its alone) and answers the control frames. Each stream's
 * handler runs on its own virtual thread ({@link Http2Host#serve}), and its send methods encode and queue frames
 * into the connection's one output buffer under the connection's lock; the HPACK encoder and the send windows live
 * under that lock too, so field blocks leave in the order they were encoded. Writes are combined: whichever thread
 * finds output queued and nobody writing takes the buffer and writes it outside the lock, and keeps writing what the
 * others queued meanwhile; while other handlers run, it first yields once so that the ready ones queue theirs
 * ({@link #writeOut}), and sixteen small responses finished together leave in one or two writes. The reader
 * writes its own control frames only before it blocks on a read, so WINDOW_UPDATEs and acknowledgements for a batch
 * of frames leave together.
 *
 * <p>Limits and deadlines ({@link Http2Limits}): the client preface and any field block split across frames must
 * arrive within readHeaderTimeout; a request body within readTimeout of its HEADERS frame (408); a socket write, or a
 * wait for flow-control credit, within writeTimeout, or the connection is closed; a connection without streams is
 * closed after idleTimeout. Streams beyond SETTINGS_MAX_CONCURRENT_STREAMS are refused with REFUSED_STREAM.
 *
 * <p>Defences, each counted through {@link Http2Host#defended} and answered with GOAWAY ENHANCE_YOUR_CALM: more
 * client resets of streams still being served than {@value #RESETS_PER_STREAM} per concurrent stream in a second
 * (rapid reset, CVE-2023-44487; and the handlers of reset streams still count against twice the concurrency limit
 * until they return); a field block in more than {@value #MAX_CONTINUATIONS} CONTINUATION frames or larger than twice
 * the header list limit (CVE-2024-27316); more than {@value #MAX_OVERSIZED_HEADER_LISTS} header lists over the limit
 * (each one answered 431; an HPACK bomb stops being delivered at the limit, see {@link HpackDecoder}); more than
 * {@value #MAX_CONTROL_PER_SECOND} SETTINGS or PING frames, or empty DATA frames, in a second; a send window that
 * stays empty past writeTimeout (zero-window stall). Output is bounded ({@value #MAX_PENDING_OUTPUT} octets): a
 * client that does not read stops being read, and is cut off at writeTimeout.
 */
final class Http2Connection {
    private static final Logger LOG = LoggerFactory.getLogger(Http2Connection.class);
    private static final ThreadFactory STREAM_THREADS = Thread.ofVirtual().name("weft-h2-stream").factory();

    /** The connection's receive window, raised from 65,535 when the connection starts. */
    static final int CONNECTION_WINDOW = 1 << 20;
    /** Each stream's receive window: the initial 65,535, so that no setting has to be acknowledged first. */
    static final int STREAM_WINDOW = 65_535;
    /** The largest frame payload accepted: the initial SETTINGS_MAX_FRAME_SIZE. */
    static final int MAX_FRAME_SIZE = Setting.MIN_MAX_FRAME_SIZE;
    static final int MAX_CONTINUATIONS = 32;
    static final int MAX_OVERSIZED_HEADER_LISTS = 8;
    static final int MAX_CONTROL_PER_SECOND = 100;
    static final int RESETS_PER_STREAM = 2;
    /** Closed streams remembered, a power of two. */
    private static final int RECENTLY_CLOSED = 256;
    /** Output queued beyond this makes senders wait for the socket. */
    static final int MAX_PENDING_OUTPUT = 256 * 1024;
    /** A sender starts a write once this much is queued, rather than leaving it to the next flush. */
    private static final int WRITE_AT = 32 * 1024;
    private static final long SECOND = 1_000_000_000L;
    private static final int FAIR_SHARE = 64 * 1024;
    private static final long LINGER_NANOS = 500_000_000L;
    private static final FieldSink DISCARD = (name, value) -> { };

    private final Socket socket;
    private final InputStream in;
    private final OutputStream os;
    private final Http2Limits limits;
    private final Http2Host host;
    private final Settings ours;

    // the reader's own
    private byte[] buf = new byte[2 * (FrameParser.HEADER_LENGTH + MAX_FRAME_SIZE)];
    private int start;
    private int end;
    private final HpackDecoder decoder;
    private final FieldBlockAssembler assembler;
    private long blockStarted;
    private boolean settingsSeen;
    private int oversizedHeaderLists;
    private final Budget settingsBudget = new Budget();
    private final Budget pingBudget = new Budget();
    private final Budget emptyDataBudget = new Budget();
    private final Budget resetBudget = new Budget();
    private int soTimeout = -1;
    private int readSinceYield;

    // guarded by lock
    private final ReentrantLock lock = new ReentrantLock();
    /** Signalled when a send window opens, output drains, a stream closes or the connection breaks. */
    private final Condition changed = lock.newCondition();
    private final HashMap<Integer, Http2Stream> streams = new HashMap<>();
    /**
     * How the most recently closed streams ended, for the frames that may still arrive on them (section 5.1): a
     * ring of the last {@value #RECENTLY_CLOSED}, the newest entry of an id winning. Every stream passes through it,
     * so it is two arrays rather than a map that boxes the id and allocates an entry per stream; it is searched
     * only for a frame on a stream no longer open.
     */
    private final int[] closedIds = new int[RECENTLY_CLOSED];
    private final StreamState[] closedStates = new StreamState[RECENTLY_CLOSED];
    private int closedNext;
    private final HpackEncoder encoder = new HpackEncoder(4096);
    private final FieldBlock block = new FieldBlock(256);
    private final FlowControlWindow sendWindow = new FlowControlWindow(0, Settings.DEFAULT.initialWindowSize());
    private final FlowControlWindow receiveWindow = new FlowControlWindow(0, Settings.DEFAULT.initialWindowSize());
    private int receivedUnacknowledged;
    private Settings peer = Settings.DEFAULT;
    private int lastStreamId;
    private int running;
    private boolean goingAway;
    private boolean peerGoingAway;
    private boolean closed;
    private byte[] out = new byte[16 * 1024];
    private int outLen;
    private byte[] spare;
    private boolean writing;
    /** Close the socket once what is queued has been written. */
    private boolean closeWhenWritten;

    private final AtomicLong bytesIn = new AtomicLong();
    private final AtomicLong bytesOut = new AtomicLong();
    private volatile long idleDeadline;
    private volatile long writeDeadline;
    private volatile boolean forced;

    /**
     * @param socket the connection, for its timeouts and to close it
     * @param in     its input, positioned after whatever {@link #serve} is given as already read
     * @param os     its output
     */
    public Http2Connection(Socket socket, InputStream in, OutputStream os, Http2Limits limits, Http2Host host) {
        this.socket = socket;
        this.in = in;
        this.os = os;
        this.limits = limits;
        this.host = host;
        this.ours = new Settings(Settings.DEFAULT.headerTableSize(), false, limits.maxConcurrentStreams(),
                STREAM_WINDOW, MAX_FRAME_SIZE, limits.maxHeaderListSize());
        // a string may be longer than the list limit: the list is then answered 431, not the connection closed;
        // the field block, and so what a string can decode to, is bounded by the assembler
        this.decoder = new HpackDecoder(ours.headerTableSize(), limits.maxHeaderListSize(),
                4 * limits.maxHeaderListSize());
        this.assembler = new FieldBlockAssembler(2 * limits.maxHeaderListSize(), MAX_CONTINUATIONS);
        this.idleDeadline = System.nanoTime() + limits.idleTimeoutNanos();
    }

    /**
     * Serves the connection on the calling thread until it ends, then closes the socket. {@code initial[from, to)}
     * is what was read before the hand-over: the client preface, possibly followed by frames, or nothing (TLS).
     */
    public void serve(byte[] initial, int from, int to) {
        boolean linger = false;
        try {
            int n = to - from;
            if (n > buf.length) {
                buf = new byte[n + buf.length];
            }
            System.arraycopy(initial, from, buf, 0, n);
            end = n;
            lock.lock();
            try {
                List<Setting> settings = ours.toServerPreface();
                ensureOut(FrameParser.HEADER_LENGTH + 6 * settings.size() + FrameWriter.WINDOW_UPDATE_LENGTH);
                outLen = FrameWriter.settings(out, outLen, settings);
                outLen = FrameWriter.windowUpdate(out, outLen, 0, CONNECTION_WINDOW - STREAM_WINDOW);
                receiveWindow.credit(CONNECTION_WINDOW - STREAM_WINDOW);
            } finally {
                lock.unlock();
            }
            long prefaceDeadline = System.nanoTime() + limits.readHeaderTimeoutNanos();
            while (end - start < ConnectionPreface.LENGTH) {
                if (!ConnectionPreface.isPrefix(buf, start, end) || !fill(prefaceDeadline)) {
                    break;
                }
            }
            if (!ConnectionPreface.matches(buf, start, end)) {
                throw new ConnectionError(ErrorCode.PROTOCOL_ERROR, "no HTTP/2 connection preface");
            }
            start += ConnectionPreface.LENGTH;
            readFrames(prefaceDeadline);
        } catch (ConnectionError e) {
            LOG.debug("HTTP/2 connection error from {}: {}", socket.getRemoteSocketAddress(), e.getMessage());
            goAway(e.code(), e.getMessage());
            linger = true;
        } catch (Http2Exception | IOException | RuntimeException e) {
            LOG.debug("HTTP/2 connection from {} ended: {}", socket.getRemoteSocketAddress(), e.toString());
        } finally {
            try {
                drain();
            } catch (IOException ignored) {
                // the client is gone
            }
            if (linger) {
                lingerBeforeClose();
            }
            shutDown();
        }
    }

    private void readFrames(long prefaceDeadline) throws IOException, ConnectionError {
        while (true) {
            int available = end - start;
            int length = FrameParser.frameLength(buf, start, end, MAX_FRAME_SIZE);
            if (length == FrameParser.INCOMPLETE || available < length) {
                long deadline = !settingsSeen ? prefaceDeadline
                        : assembler.inProgress() ? blockStarted + limits.readHeaderTimeoutNanos() : 0;
                if (!fill(deadline)) {
                    return;
                }
                continue;
            }
            int at = start;
            start += length;
            try {
                Frame frame = FrameParser.parse(buf, at);
                if (!settingsSeen) {
                    if (!(frame instanceof Frame.Settings s) || s.ack()) {
                        throw new ConnectionError(ErrorCode.PROTOCOL_ERROR,
                                "the client preface must be followed by a SETTINGS frame");
                    }
                    settingsSeen = true;
                }
                if (!handle(frame)) {
                    return;
                }
            } catch (StreamError e) {
                resetStream(e.streamId(), e.code(), e.getMessage());
            } catch (ConnectionError e) {
                throw e;
            } catch (Http2Exception e) {
                throw new IllegalStateException(e);
            }
        }
    }

    /** Handles one frame; false when the connection is done. */
    private boolean handle(Frame frame) throws Http2Exception, IOException {
        assembler.checkSequence(frame);
        switch (frame) {
            case Frame.Data d -> onData(d);
            case Frame.Headers h -> {
                if (h.endHeaders()) {
                    onFieldBlock(h, buf, h.fragmentOffset(), h.fragmentOffset() + h.fragmentLength());
                } else {
                    blockStarted = System.nanoTime();
                    try {
                        assembler.start(h, buf);
                    } catch (ConnectionError e) {
                        throw defence("continuation_flood", e);
                    }
                }
            }
            case Frame.Continuation c -> {
                boolean done;
                try {
                    done = assembler.add(c, buf);
                } catch (ConnectionError e) {
                    throw defence("continuation_flood", e);
                }
                if (done) {
                    Frame.Headers h = assembler.headers();
                    assembler.finish();
                    onFieldBlock(h, assembler.array(), 0, assembler.length());
                }
            }
            case Frame.Priority p -> {
            }
            case Frame.RstStream r -> onReset(r);
            case Frame.Settings s -> onSettings(s);
            case Frame.Ping p -> onPing(p);
            case Frame.GoAway g -> {
                return onGoAway(g);
            }
            case Frame.WindowUpdate w -> onWindowUpdate(w);
            case Frame.Unknown u -> {
            }
        }
        return true;
    }

    // ---- receiving ----

    private void onFieldBlock(Frame.Headers h, byte[] b, int from, int to) throws Http2Exception, IOException {
        int id = h.streamId();
        Http2Stream existing;
        lock.lock();
        try {
            existing = streams.get(id);
        } finally {
            lock.unlock();
        }
        if (existing != null) {
            onTrailers(existing, h, b, from, to);
            return;
        }
        if ((id & 1) == 0) {
            throw new ConnectionError(ErrorCode.PROTOCOL_ERROR, "HEADERS frame on stream " + id
                    + ": a client opens odd-numbered streams only");
        }
        if (id <= lastStreamId) {
            decoder.decode(b, from, to, DISCARD);
            StreamState was;
            lock.lock();
            try {
                was = recentlyClosed(id);
            } finally {
                lock.unlock();
            }
            if (was == null) {
                throw new ConnectionError(ErrorCode.PROTOCOL_ERROR, "HEADERS frame on stream " + id
                        + ", not above the last stream opened, " + lastStreamId);
            }
            was.received(FrameType.HEADERS, h.endStream(), id);
            return;
        }
        lastStreamId = id;
        RequestFields fields = new RequestFields();
        fields.reset(false);
        boolean complete = decoder.decode(b, from, to, fields);
        lock.lock();
        try {
            if (goingAway) {
                // opened after our GOAWAY: ignored (section 6.8), its block decoded to keep HPACK in step
                rememberClosed(id, StreamState.RESET_SENT);
                return;
            }
        } finally {
            lock.unlock();
        }
        long contentLength = h.endStream() ? 0 : -1;
        boolean refused = false;
        if (!complete) {
            host.defended("header_list_size", "header list of stream " + id + " larger than "
                    + limits.maxHeaderListSize() + " octets");
            if (++oversizedHeaderLists > MAX_OVERSIZED_HEADER_LISTS) {
                throw new ConnectionError(ErrorCode.ENHANCE_YOUR_CALM, "more than " + MAX_OVERSIZED_HEADER_LISTS
                        + " header lists larger than SETTINGS_MAX_HEADER_LIST_SIZE");
            }
        } else {
            String malformed = fields.finish();
            if (malformed == null) {
                String cl = fields.headers().get("content-length");
                if (cl != null) {
                    long declared = Framing.contentLength(cl);
                    if (declared < 0 || fields.headers().count("content-length") > 1) {
                        malformed = "malformed content-length";
                    } else if (h.endStream() && declared > 0) {
                        malformed = "content-length " + declared + " on a request without a body";
                    } else {
                        contentLength = declared;
                    }
                }
            }
            if (malformed != null) {
                throw new StreamError(id, ErrorCode.PROTOCOL_ERROR, "malformed request: " + malformed);
            }
        }
        Http2Stream s;
        lock.lock();
        try {
            if (streams.size() >= limits.maxConcurrentStreams() || running >= 2 * limits.maxConcurrentStreams()) {
                queueReset(id, ErrorCode.REFUSED_STREAM);
                rememberClosed(id, StreamState.RESET_SENT);
                refused = true;
                s = null;
            } else {
                StreamState state = StreamState.IDLE.received(FrameType.HEADERS, h.endStream(), id);
                s = new Http2Stream(this, id, state, fields, contentLength, !complete, peer.initialWindowSize(),
                        STREAM_WINDOW, limits.maxBodyBytes(), System.nanoTime() + limits.readTimeoutNanos());
                streams.put(id, s);
                running++;
            }
        } finally {
            lock.unlock();
        }
        if (refused) {
            // a client that opens streams past the limit, or resets them to open more while their handlers still
            // run, is making the server work for nothing: the same budget as resets
            spendResetBudget();
            return;
        }
        if (id == Integer.MAX_VALUE) {
            // the client has used up its stream identifiers: it must open a new connection for more (5.1.1)
            host.defended("stream_id", "stream identifiers exhausted");
            goAway(ErrorCode.NO_ERROR, "stream identifiers exhausted");
        }
        STREAM_THREADS.newThread(new StreamRunner(s)).start();
    }

    private void onTrailers(Http2Stream s, Frame.Headers h, byte[] b, int from, int to) throws Http2Exception {
        RequestFields trailers = new RequestFields();
        trailers.reset(true);
        boolean complete = decoder.decode(b, from, to, trailers);
        lock.lock();
        try {
            s.state = s.state.received(FrameType.HEADERS, h.endStream(), s.id());
            retireIfClosed(s);
        } finally {
            lock.unlock();
        }
        String malformed = complete ? trailers.finish() : "trailer section larger than " + limits.maxHeaderListSize();
        if (malformed == null) {
            malformed = s.body.end(trailers.headers());
        }
        if (malformed != null) {
            throw new StreamError(s.id(), ErrorCode.PROTOCOL_ERROR, "malformed request: " + malformed);
        }
    }

    private void onData(Frame.Data d) throws Http2Exception {
        int id = d.streamId();
        int length = d.flowControlled();
        Http2Stream s;
        lock.lock();
        try {
            receiveWindow.receive(length);
            receivedUnacknowledged += length;
            if (receivedUnacknowledged >= CONNECTION_WINDOW / 2) {
                queueWindowUpdate(0, receivedUnacknowledged);
                receiveWindow.credit(receivedUnacknowledged);
                receivedUnacknowledged = 0;
            }
            s = streams.get(id);
            if (s == null) {
                if (id > lastStreamId) {
                    throw new ConnectionError(ErrorCode.PROTOCOL_ERROR, "DATA frame on idle stream " + id);
                }
                StreamState was = recentlyClosed(id);
                if (was == null) {
                    throw new StreamError(id, ErrorCode.STREAM_CLOSED, "DATA frame on closed stream " + id);
                }
                was.received(FrameType.DATA, d.endStream(), id);
                return;
            }
            s.state = s.state.received(FrameType.DATA, d.endStream(), id);
            s.receiveWindow.receive(length);
            // padding is never read by the handler: credit it with what the handler reads
            s.unacknowledged += length - d.dataLength();
            retireIfClosed(s);
        } finally {
            lock.unlock();
        }
        if (d.dataLength() == 0 && !d.endStream() && !emptyDataBudget.spend(MAX_CONTROL_PER_SECOND)) {
            throw defence("empty_frames", new ConnectionError(ErrorCode.ENHANCE_YOUR_CALM,
                    "more than " + MAX_CONTROL_PER_SECOND + " empty DATA frames in a second"));
        }
        String malformed = s.body.receive(buf, d.dataOffset(), d.dataLength(), d.endStream());
        if (malformed != null) {
            throw new StreamError(id, ErrorCode.PROTOCOL_ERROR, "malformed request: " + malformed);
        }
    }

    private void onReset(Frame.RstStream r) throws Http2Exception {
        int id = r.streamId();
        Http2Stream s;
        boolean beingServed;
        lock.lock();
        try {
            s = streams.get(id);
            if (s == null) {
                if (id > lastStreamId) {
                    throw new ConnectionError(ErrorCode.PROTOCOL_ERROR, "RST_STREAM frame on idle stream " + id);
                }
                return;
            }
            s.state = s.state.received(FrameType.RST_STREAM, false, id);
            beingServed = s.handlerRunning;
            retireIfClosed(s);
            changed.signalAll();
        } finally {
            lock.unlock();
        }
        s.cancel(false, new IOException("stream " + id + " reset by the client: " + ErrorCode.of(r.errorCode())));
        if (beingServed) {
            spendResetBudget();
        }
    }

    private void spendResetBudget() throws ConnectionError {
        int budget = Math.max(100, RESETS_PER_STREAM * limits.maxConcurrentStreams());
        if (!resetBudget.spend(budget)) {
            throw defence("rapid_reset", new ConnectionError(ErrorCode.ENHANCE_YOUR_CALM,
                    "more than " + budget + " streams reset by the client or refused in a second"));
        }
    }

    private void onSettings(Frame.Settings f) throws ConnectionError {
        if (f.ack()) {
            return;
        }
        if (!settingsBudget.spend(MAX_CONTROL_PER_SECOND)) {
            throw defence("settings_flood", new ConnectionError(ErrorCode.ENHANCE_YOUR_CALM,
                    "more than " + MAX_CONTROL_PER_SECOND + " SETTINGS frames in a second"));
        }
        lock.lock();
        try {
            Settings before = peer;
            peer = peer.with(f.settings());
            long delta = (long) peer.initialWindowSize() - before.initialWindowSize();
            if (delta != 0) {
                for (Http2Stream s : streams.values()) {
                    s.sendWindow.adjust(delta);
                }
            }
            if (peer.headerTableSize() != before.headerTableSize()) {
                encoder.setPeerHeaderTableSize(peer.headerTableSize());
            }
            ensureOut(FrameWriter.SETTINGS_ACK_LENGTH);
            outLen = FrameWriter.settingsAck(out, outLen);
            changed.signalAll();
        } catch (IOException e) {
            // closed meanwhile: the next read ends the loop
        } finally {
            lock.unlock();
        }
    }

    private void onPing(Frame.Ping p) throws ConnectionError {
        if (p.ack()) {
            return;
        }
        if (!pingBudget.spend(MAX_CONTROL_PER_SECOND)) {
            throw defence("ping_flood", new ConnectionError(ErrorCode.ENHANCE_YOUR_CALM,
                    "more than " + MAX_CONTROL_PER_SECOND + " PING frames in a second"));
        }
        lock.lock();
        try {
            ensureOut(FrameWriter.PING_LENGTH);
            outLen = FrameWriter.ping(out, outLen, true, p.opaqueData());
        } catch (IOException e) {
            // closed meanwhile
        } finally {
            lock.unlock();
        }
    }

    /** The client is going away: serve what it opened, then close. False when nothing is left to serve. */
    private boolean onGoAway(Frame.GoAway g) {
        LOG.debug("GOAWAY from {}: {} {}", socket.getRemoteSocketAddress(), ErrorCode.of(g.errorCode()),
                g.debugData());
        lock.lock();
        try {
            peerGoingAway = true;
            return running > 0 || !streams.isEmpty();
        } finally {
            lock.unlock();
        }
    }

    private void onWindowUpdate(Frame.WindowUpdate w) throws Http2Exception {
        int id = w.streamId();
        lock.lock();
        try {
            if (id == 0) {
                sendWindow.credit(w.increment());
            } else {
                Http2Stream s = streams.get(id);
                if (s == null) {
                    if (id > lastStreamId) {
                        throw new ConnectionError(ErrorCode.PROTOCOL_ERROR, "WINDOW_UPDATE frame on idle stream "
                                + id);
                    }
                    return;
                }
                s.sendWindow.credit(w.increment());
            }
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** Answers a stream error: RST_STREAM, and the stream's handler learns it is cancelled. */
    private void resetStream(int id, ErrorCode code, String message) {
        LOG.debug("resetting HTTP/2 stream {} from {}: {} {}", id, socket.getRemoteSocketAddress(), code, message);
        Http2Stream s;
        lock.lock();
        try {
            s = streams.get(id);
            if (s != null && !s.state.isClosed()) {
                s.state = s.state.resetSent();
                retireIfClosed(s);
            } else if (s == null && id <= lastStreamId) {
                rememberClosed(id, StreamState.RESET_SENT);
            }
            queueReset(id, code);
            changed.signalAll();
        } finally {
            lock.unlock();
        }
        if (s != null) {
            s.cancel(false, new IOException("stream " + id + " reset: " + message));
        }
    }

    private ConnectionError defence(String attack, ConnectionError e) {
        host.defended(attack, e.getMessage());
        LOG.info("HTTP/2 client {} ends with ENHANCE_YOUR_CALM: {}", socket.getRemoteSocketAddress(), e.getMessage());
        return e.code() == ErrorCode.ENHANCE_YOUR_CALM ? e : new ConnectionError(ErrorCode.ENHANCE_YOUR_CALM,
                e.getMessage());
    }

    /** Reads more input, until {@code deadline} (0 for none); false at end of stream. */
    private boolean fill(long deadline) throws IOException {
        flush();
        if (start == end) {
            start = 0;
            end = 0;
        } else if (start > 0 && buf.length - end < FrameParser.HEADER_LENGTH + MAX_FRAME_SIZE) {
            System.arraycopy(buf, start, buf, 0, end - start);
            end -= start;
            start = 0;
        }
        int timeout = 0;
        if (deadline != 0) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                throw new SocketTimeoutException("read deadline passed");
            }
            timeout = (int) Math.min(Integer.MAX_VALUE, Math.max(1, (left + 999_999) / 1_000_000));
        }
        if (timeout != soTimeout) {
            socket.setSoTimeout(timeout);
            soTimeout = timeout;
        }
        int n = in.read(buf, end, buf.length - end);
        if (n < 0) {
            return false;
        }
        end += n;
        bytesIn.addAndGet(n);
        readSinceYield += n;
        if (readSinceYield >= FAIR_SHARE) {
            // a client that keeps the socket full never makes the reader block, and virtual threads are not
            // preempted: let the other connections run, as the HTTP/1.1 connection does (FairShare)
            readSinceYield = 0;
            LockSupport.parkNanos(1);
        }
        return true;
    }

    // ---- sending, from the streams' threads ----

    void sendHeaders(Http2Stream s, int status, Headers fields, boolean endStream, boolean informational)
            throws IOException {
        lock.lock();
        try {
            checkCanSend(s);
            if (!informational) {
                s.responseStarted = true;
            }
            block.clear();
            encoder.startResponse(status, block);
            encodeFields(fields);
            queueFieldBlock(s, endStream);
        } finally {
            lock.unlock();
        }
    }

    /**
     * A whole response: its head and, when the windows allow it in one frame, its body, written at once (the common
     * case, one lock and one write for both); else the body follows through {@link #sendData}.
     */
    void sendResponse(Http2Stream s, int status, Headers fields, byte[] b, int off, int len, boolean endStream)
            throws IOException {
        lock.lock();
        try {
            checkCanSend(s);
            s.responseStarted = true;
            block.clear();
            encoder.startResponse(status, block);
            encodeFields(fields);
            queueFieldBlock(s, false);
            if (len <= peer.maxFrameSize() && len <= s.sendWindow.size() && len <= sendWindow.size()
                    && outLen < MAX_PENDING_OUTPUT) {
                ensureOut(FrameParser.HEADER_LENGTH + len);
                outLen = FrameWriter.dataHeader(out, outLen, s.id(), len, endStream);
                System.arraycopy(b, off, out, outLen, len);
                outLen += len;
                s.sendWindow.send(len);
                sendWindow.send(len);
                if (endStream) {
                    s.state = s.state.endStreamSent();
                    retireIfClosed(s);
                }
                writeOut();
                return;
            }
        } finally {
            lock.unlock();
        }
        sendData(s, b, off, len, endStream);
        flush();
    }

    void sendTrailers(Http2Stream s, Headers fields) throws IOException {
        if (fields.isEmpty()) {
            sendData(s, new byte[0], 0, 0, true);
            return;
        }
        lock.lock();
        try {
            checkCanSend(s);
            block.clear();
            encoder.startTrailers(block);
            encodeFields(fields);
            queueFieldBlock(s, true);
        } finally {
            lock.unlock();
        }
    }

    private void queueFieldBlock(Http2Stream s, boolean endStream) throws IOException {
        int max = peer.maxFrameSize();
        ensureOut(FrameWriter.headersLength(block.length(), max));
        outLen = FrameWriter.headers(out, outLen, s.id(), endStream, block.array(), block.length(), max);
        if (endStream) {
            s.state = s.state.endStreamSent();
            retireIfClosed(s);
        }
    }

    void sendData(Http2Stream s, byte[] b, int off, int len, boolean endStream) throws IOException {
        if (len == 0 && !endStream) {
            return;
        }
        long deadline = 0;
        lock.lock();
        try {
            while (true) {
                checkCanSend(s);
                long window = Math.min(s.sendWindow.size(), sendWindow.size());
                int n = (int) Math.max(0, Math.min(Math.min(len, peer.maxFrameSize()), window));
                if ((len > 0 && n == 0) || outLen >= MAX_PENDING_OUTPUT) {
                    if (outLen > 0 && !writing) {
                        writeOut();
                        continue;
                    }
                    long now = System.nanoTime();
                    if (deadline == 0) {
                        deadline = now + limits.writeTimeoutNanos();
                    } else if (now - deadline >= 0) {
                        stalled(s, window);
                    }
                    try {
                        changed.awaitNanos(deadline - now);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        throw new InterruptedIOException("interrupted while waiting for flow-control credit");
                    }
                    continue;
                }
                deadline = 0;
                boolean last = endStream && n == len;
                ensureOut(FrameParser.HEADER_LENGTH + n);
                outLen = FrameWriter.dataHeader(out, outLen, s.id(), n, last);
                System.arraycopy(b, off, out, outLen, n);
                outLen += n;
                s.sendWindow.send(n);
                sendWindow.send(n);
                off += n;
                len -= n;
                if (last) {
                    s.state = s.state.endStreamSent();
                    retireIfClosed(s);
                }
                if (outLen >= WRITE_AT && !writing) {
                    writeOut();
                }
                if (len == 0) {
                    return;
                }
            }
        } finally {
            lock.unlock();
        }
    }

    /** A send window stayed empty, or the output full, past writeTimeout: the client has stopped reading. */
    private void stalled(Http2Stream s, long window) throws IOException {
        String what = window <= 0 ? "flow-control window of stream " + s.id() + " stayed empty"
                : "client stopped reading";
        host.defended("zero_window", what);
        LOG.info("HTTP/2 client {} ends with ENHANCE_YOUR_CALM: {} past writeTimeout",
                socket.getRemoteSocketAddress(), what);
        queueGoAway(ErrorCode.ENHANCE_YOUR_CALM, what);
        if (!writing) {
            try {
                writeOut();
            } catch (IOException ignored) {
                // closing anyway
            }
        }
        closeSocket();
        throw new IOException(what + " past writeTimeout");
    }

    /** Appends {@code fields} to the field block being encoded; the caller holds the lock. */
    private void encodeFields(Headers fields) {
        for (int i = 0, n = fields.size(); i < n; i++) {
            encoder.encodeField(fields.name(i), fields.value(i), block);
        }
    }

    /** Sends 100 Continue if the handler reads the body before answering and the body has not started. */
    void continueIfExpected(Http2Stream s) throws IOException {
        lock.lock();
        try {
            if (s.responseStarted || s.state != StreamState.OPEN || closed) {
                return;
            }
            block.clear();
            encoder.startResponse(100, block);
            queueFieldBlock(s, false);
            writeOut();
        } finally {
            lock.unlock();
        }
    }

    /** The handler read {@code n} body octets: credits them back once half the stream's window is used. */
    void consumed(Http2Stream s, int n) {
        lock.lock();
        try {
            if (s.state != StreamState.OPEN && s.state != StreamState.HALF_CLOSED_LOCAL || closed) {
                return;
            }
            s.unacknowledged += n;
            if (s.unacknowledged >= STREAM_WINDOW / 2) {
                queueWindowUpdate(s.id(), s.unacknowledged);
                s.receiveWindow.credit(s.unacknowledged);
                s.unacknowledged = 0;
                writeOut();
            }
        } catch (Http2Exception | IOException e) {
            LOG.debug("could not credit stream {}: {}", s.id(), e.toString());
        } finally {
            lock.unlock();
        }
    }

    void abort(Http2Stream s) {
        lock.lock();
        try {
            if (!s.state.isClosed() && !closed) {
                s.state = s.state.resetSent();
                retireIfClosed(s);
                queueReset(s.id(), ErrorCode.INTERNAL_ERROR);
                writeOut();
            }
        } catch (IOException e) {
            // the connection is gone: so is the stream
        } finally {
            lock.unlock();
        }
    }

    /** The stream's handler returned: a request body still arriving is declined (section 8.1), the stream ends. */
    private void handlerReturned(Http2Stream s) {
        boolean close;
        lock.lock();
        try {
            s.handlerRunning = false;
            running--;
            if (!s.state.isClosed() && !closed) {
                // response complete: the rest of the body is not wanted (NO_ERROR); else it was abandoned
                ErrorCode code = s.state == StreamState.HALF_CLOSED_LOCAL ? ErrorCode.NO_ERROR
                        : ErrorCode.INTERNAL_ERROR;
                s.state = s.state.resetSent();
                queueReset(s.id(), code);
                retireIfClosed(s);
            }
            if ((goingAway || peerGoingAway) && running == 0 && streams.isEmpty()) {
                closeWhenWritten();
            } else {
                writeOut();
            }
        } catch (IOException e) {
            // the connection is gone: the reader cleans up
        } finally {
            lock.unlock();
        }
        host.transferred(bytesIn.getAndSet(0), bytesOut.getAndSet(0));
    }

    /** True once nothing more can be sent: the connection was closed by either side or its socket broke. */
    boolean isClosed() {
        lock.lock();
        try {
            return closed;
        } finally {
            lock.unlock();
        }
    }

    private void checkCanSend(Http2Stream s) throws IOException {
        if (closed) {
            throw new IOException("HTTP/2 connection closed");
        }
        if (s.isCancelled() || !s.state.canSend()) {
            throw new IOException("HTTP/2 stream " + s.id() + " is " + (s.state.isClosed() ? "closed" : s.state));
        }
    }

    // ---- the output buffer (lock held) ----

    private void ensureOut(int n) throws IOException {
        if (closed) {
            throw new IOException("HTTP/2 connection closed");
        }
        if (outLen + n > out.length) {
            out = Arrays.copyOf(out, Math.max(out.length * 2, outLen + n));
        }
    }

    private void queueReset(int id, ErrorCode code) {
        try {
            ensureOut(FrameWriter.RST_STREAM_LENGTH);
            outLen = FrameWriter.rstStream(out, outLen, id, code);
        } catch (IOException ignored) {
            // closed: nothing to reset
        }
    }

    private void queueWindowUpdate(int id, int increment) {
        try {
            ensureOut(FrameWriter.WINDOW_UPDATE_LENGTH);
            outLen = FrameWriter.windowUpdate(out, outLen, id, increment);
        } catch (IOException ignored) {
            // closed
        }
    }

    private void queueGoAway(ErrorCode code, String message) {
        byte[] debug = message.getBytes(StandardCharsets.US_ASCII);
        if (debug.length > 256) {
            debug = Arrays.copyOf(debug, 256);
        }
        try {
            ensureOut(FrameParser.HEADER_LENGTH + 8 + debug.length);
            outLen = FrameWriter.goAway(out, outLen, lastStreamId, code, debug);
        } catch (IOException ignored) {
            // closed
        }
        goingAway = true;
    }

    /** Remembers how stream {@code id} ended; lock held. */
    private void rememberClosed(int id, StreamState state) {
        closedIds[closedNext] = id;
        closedStates[closedNext] = state;
        closedNext = (closedNext + 1) & (RECENTLY_CLOSED - 1);
    }

    /** How stream {@code id} ended, if it is among the streams closed most recently, else null; lock held. */
    private StreamState recentlyClosed(int id) {
        for (int i = 1; i <= RECENTLY_CLOSED; i++) {
            int slot = (closedNext - i) & (RECENTLY_CLOSED - 1);
            if (closedStates[slot] == null) {
                return null;
            }
            if (closedIds[slot] == id) {
                return closedStates[slot];
            }
        }
        return null;
    }

    /** Removes a closed stream from the open ones. */
    private void retireIfClosed(Http2Stream s) {
        if (s.state.isClosed() && streams.remove(s.id()) != null) {
            rememberClosed(s.id(), s.state);
            if (streams.isEmpty()) {
                idleDeadline = System.nanoTime() + limits.idleTimeoutNanos();
            }
            changed.signalAll();
        }
    }

    /**
     * Writes what is queued, unless another thread is writing it already; keeps writing what others queue
     * meanwhile. Called with the lock held once; releases it while writing.
     *
     * <p>While other handlers of the connection are running, the thread first yields its carrier once, the write
     * already claimed: the handlers that are ready to run (the rest of a batch of streams that arrived together)
     * then add their frames, and the batch leaves in one write rather than one each. A write is a system call and,
     * on the client's side, a read: at 64 connections x 16 streams, one per response was a third of the server's
     * CPU time in the kernel (see the README's HTTP/2 Numbers). A handler still waiting for something costs the
     * others nothing but the yield; a connection with one stream writes at once.
     */
    private void writeOut() throws IOException {
        if (writing || outLen == 0) {
            return;
        }
        writing = true;
        try {
            if (running > 1 && !closeWhenWritten && Thread.currentThread().isVirtual()) {
                lock.unlock();
                try {
                    Thread.yield();
                } finally {
                    lock.lock();
                }
            }
            while (outLen > 0 && !closed) {
                byte[] b = out;
                int n = outLen;
                out = spare != null && spare.length >= 16 * 1024 ? spare : new byte[16 * 1024];
                spare = null;
                outLen = 0;
                lock.unlock();
                try {
                    writeDeadline = (System.nanoTime() + limits.writeTimeoutNanos()) | 1;
                    os.write(b, 0, n);
                    bytesOut.addAndGet(n);
                } finally {
                    writeDeadline = 0;
                    lock.lock();
                }
                if (b.length <= 64 * 1024) {
                    spare = b;
                }
                changed.signalAll();
            }
        } catch (IOException e) {
            closed = true;
            changed.signalAll();
            throw e;
        } finally {
            writing = false;
            changed.signalAll();
            if (closeWhenWritten) {
                closeSocket();
            }
        }
    }

    /**
     * Writes what is queued and returns once it has left, waiting for a stream's thread that is writing: the GOAWAY
     * queued at the connection's end must be on the wire before the output is shut down, or the writer's next write
     * fails and the client sees the connection end without it. The writer is bounded by the write timeout.
     */
    private void drain() throws IOException {
        lock.lock();
        try {
            long deadline = System.nanoTime() + limits.writeTimeoutNanos();
            while (writing && !closed) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return;
                }
                changed.awaitNanos(left);
            }
            writeOut();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            lock.unlock();
        }
    }

    /**
     * Closes the socket after what is queued has left: now, or when the thread writing finishes. Lock held once.
     */
    private void closeWhenWritten() {
        closeWhenWritten = true;
        try {
            writeOut();
        } catch (IOException ignored) {
            // closing anyway
        }
        if (!writing) {
            closeSocket();
        }
    }

    /** Writes what is queued unless another thread is writing it. */
    void flush() throws IOException {
        lock.lock();
        try {
            writeOut();
        } finally {
            lock.unlock();
        }
    }

    // ---- the connection's end ----

    private void goAway(ErrorCode code, String message) {
        lock.lock();
        try {
            if (!closed) {
                queueGoAway(code, message);
            }
        } finally {
            lock.unlock();
        }
    }

    /**
     * Half-closes and reads what the client still sends, for a moment: closing with unread input makes the kernel
     * send a reset, which can destroy the GOAWAY before the client reads it. Not possible on TLS.
     */
    private void lingerBeforeClose() {
        if (socket instanceof SSLSocket || socket.isClosed()) {
            return;
        }
        try {
            socket.shutdownOutput();
            long deadline = System.nanoTime() + LINGER_NANOS;
            long budget = 1 << 20;
            while (budget > 0) {
                start = 0;
                end = 0;
                if (!fill(deadline)) {
                    break;
                }
                budget -= end;
            }
        } catch (IOException ignored) {
            // closing either way
        }
    }

    private void shutDown() {
        List<Http2Stream> open;
        lock.lock();
        try {
            closed = true;
            open = new ArrayList<>(streams.values());
            streams.clear();
            changed.signalAll();
        } finally {
            lock.unlock();
        }
        boolean byServer = forced;
        for (Http2Stream s : open) {
            s.cancel(byServer, new IOException("HTTP/2 connection closed"));
        }
        closeSocket();
        host.transferred(bytesIn.getAndSet(0), bytesOut.getAndSet(0));
    }

    private void closeSocket() {
        try {
            socket.close();
        } catch (IOException ignored) {
            // nothing more to do
        }
    }

    // ---- for the server: deadlines and shutdown ----

    /** Closes the connection if it has had no open stream for idleTimeout; true if it did. */
    public boolean closeIfIdleExpired(long now) {
        lock.lock();
        try {
            if (closed || running > 0 || !streams.isEmpty() || now - idleDeadline <= 0) {
                return false;
            }
            queueGoAway(ErrorCode.NO_ERROR, "idle");
            // cannot block long: an idle connection has nothing else queued
            closeWhenWritten();
        } finally {
            lock.unlock();
        }
        return true;
    }

    /**
     * Starts a graceful shutdown: GOAWAY with the last stream opened, so the client opens no more; the streams open
     * finish, and the connection closes after the last. Returns true when it closed at once, having nothing open;
     * later calls return false.
     */
    public boolean shutdownGracefully() {
        boolean closeNow;
        lock.lock();
        try {
            if (goingAway || closed) {
                return false;
            }
            queueGoAway(ErrorCode.NO_ERROR, "server shutting down");
            closeNow = running == 0 && streams.isEmpty();
            if (closeNow) {
                closeWhenWritten();
            } else {
                writeOut();
            }
        } catch (IOException e) {
            closeNow = false;
        } finally {
            lock.unlock();
        }
        return closeNow;
    }

    /** Closes now, cancelling the streams being served as cut by the server. */
    public void forceClose() {
        forced = true;
        List<Http2Stream> open;
        lock.lock();
        try {
            open = new ArrayList<>(streams.values());
        } finally {
            lock.unlock();
        }
        for (Http2Stream s : open) {
            s.cancel(true, new IOException("server shut down"));
        }
        closeSocket();
    }

    /** True when a socket write has been blocked past writeTimeout. */
    public boolean writeOverdue(long now) {
        long d = writeDeadline;
        return d != 0 && now - d > 0;
    }

    /** Adds the requests being served, as {@code GET /x (HTTP/2 stream 3)}, to {@code into}. */
    public void inFlight(List<String> into) {
        lock.lock();
        try {
            for (Http2Stream s : streams.values()) {
                if (s.handlerRunning) {
                    into.add(s.toString());
                }
            }
        } finally {
            lock.unlock();
        }
    }

    /** Runs one stream's handler on its own thread. Not a lambda: see "Start-up" in the README. */
    private final class StreamRunner implements Runnable {
        private final Http2Stream stream;

        StreamRunner(Http2Stream stream) {
            this.stream = stream;
        }

        @Override
        public void run() {
            try {
                host.serve(stream);
            } catch (Throwable t) {
                LOG.error("HTTP/2 stream {} failed", stream.id(), t);
            } finally {
                handlerReturned(stream);
            }
        }
    }

    /** Events allowed per second, counted in whole-second windows. Used by the reader thread only. */
    private static final class Budget {
        private long windowStart = System.nanoTime();
        private int used;

        boolean spend(int max) {
            long now = System.nanoTime();
            if (now - windowStart >= SECOND) {
                windowStart = now;
                used = 0;
            }
            return ++used <= max;
        }
    }
}
