package dev.weft.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import dev.weft.http.h2.ConnectionError;
import dev.weft.http.h2.ConnectionPreface;
import dev.weft.http.h2.ErrorCode;
import dev.weft.http.h2.FieldBlock;
import dev.weft.http.h2.FrameFlags;
import dev.weft.http.h2.FrameParser;
import dev.weft.http.h2.FrameType;
import dev.weft.http.h2.FrameWriter;
import dev.weft.http.h2.HpackDecoder;
import dev.weft.http.h2.HpackEncoder;
import dev.weft.http.h2.Setting;

/**
 * An HTTP/2 client over a raw socket for conformance tests: frames written with {@link FrameWriter} (or by hand),
 * field blocks with {@link HpackEncoder}, and the server's frames read back one by one, its field blocks decoded with
 * {@link HpackDecoder}. It does nothing on its own but acknowledge nothing: a test sends and expects each frame.
 */
final class RawClient implements AutoCloseable {
    /** Fields the encoder leaves out of a block (RFC 9113 section 8.2.2), which a test may still send. */
    private static final List<String> CONNECTION_SPECIFIC = List.of("connection", "keep-alive", "proxy-connection",
            "transfer-encoding", "upgrade");
    /** A frame as received: its header fields and a copy of its payload. */
    record In(int type, int flags, int streamId, byte[] payload) {
        boolean has(int flag) {
            return (flags & flag) != 0;
        }

        int int32(int at) {
            return (payload[at] & 0xFF) << 24 | (payload[at + 1] & 0xFF) << 16 | (payload[at + 2] & 0xFF) << 8
                    | payload[at + 3] & 0xFF;
        }

        /** GOAWAY's error code, RST_STREAM's error code. */
        ErrorCode errorCode() {
            return ErrorCode.of(type == FrameType.GOAWAY ? int32(4) : int32(0));
        }

        String debugData() {
            return new String(payload, 8, payload.length - 8, StandardCharsets.ISO_8859_1);
        }

        @Override
        public String toString() {
            return FrameType.name(type) + " flags=0x" + Integer.toHexString(flags) + " stream=" + streamId + " length="
                    + payload.length + (type == FrameType.GOAWAY ? " " + errorCode() + " " + debugData()
                    : type == FrameType.RST_STREAM ? " " + errorCode() : "");
        }
    }

    /** A response as read by {@link #response}. */
    record Response(int status, Headers headers, byte[] body, Headers trailers, List<Integer> informational) {
        String text() {
            return new String(body, StandardCharsets.UTF_8);
        }
    }

    final Socket socket;
    final InputStream in;
    final OutputStream out;
    final HpackEncoder encoder = new HpackEncoder(4096);
    final HpackDecoder decoder = new HpackDecoder(4096, Long.MAX_VALUE, 1 << 20);
    private final byte[] header = new byte[9];

    private RawClient(Socket socket) throws IOException {
        this.socket = socket;
        socket.setSoTimeout(10_000);
        this.in = socket.getInputStream();
        this.out = socket.getOutputStream();
    }

    /** Connects without sending anything. */
    static RawClient open(int port) throws IOException {
        return new RawClient(new Socket("127.0.0.1", port));
    }

    /**
     * Connects, sends the preface and a SETTINGS frame with {@code settings}, reads the server's SETTINGS and
     * acknowledges it, and reads the acknowledgement of ours (skipping the connection's WINDOW_UPDATE).
     */
    static RawClient connect(int port, Setting... settings) throws IOException {
        RawClient c = open(port);
        c.send(ConnectionPreface.bytes());
        c.send(c.settings(settings));
        In first = c.next();
        assertEquals(FrameType.SETTINGS, first.type(), "the server's preface starts with SETTINGS: " + first);
        assertEquals(0, first.flags());
        c.send(frame(FrameWriter.SETTINGS_ACK_LENGTH, (b, at) -> FrameWriter.settingsAck(b, at)));
        while (true) {
            In f = c.next();
            if (f.type() == FrameType.SETTINGS && f.has(FrameFlags.ACK)) {
                return c;
            }
            assertEquals(FrameType.WINDOW_UPDATE, f.type(), "before the ack of our SETTINGS: " + f);
        }
    }

    interface Writer {
        int write(byte[] b, int at);
    }

    static byte[] frame(int length, Writer w) {
        byte[] b = new byte[length];
        int n = w.write(b, 0);
        assertEquals(length, n);
        return b;
    }

    byte[] settings(Setting... settings) {
        return frame(9 + 6 * settings.length, (b, at) -> FrameWriter.settings(b, at, List.of(settings)));
    }

    /** A request's HEADERS frame: pseudo-header fields for {@code GET path} unless {@code fields} starts with one. */
    byte[] headers(int streamId, boolean endStream, String... fields) {
        FieldBlock block = block(fields);
        return frame(FrameWriter.headersLength(block.length(), 16384), (b, at) -> FrameWriter.headers(b, at,
                streamId, endStream, block.array(), block.length(), 16384));
    }

    /** {@code name, value, ...} encoded in order, literally as given. */
    FieldBlock block(String... fields) {
        FieldBlock block = new FieldBlock(64);
        for (int i = 0; i < fields.length; i += 2) {
            if (fields[i].equals(fields[i].toLowerCase()) && !CONNECTION_SPECIFIC.contains(fields[i])) {
                encoder.encodeField(fields[i], fields[i + 1], block);
            } else { // a literal without indexing, its name as given, which the encoder would lower-case or leave out
                block.writeInteger(0, 4, 0);
                block.writeString(fields[i]);
                block.writeString(fields[i + 1]);
            }
        }
        return block;
    }

    /** The usual pseudo-header fields of a request, then {@code extra}. */
    static String[] request(String method, String path, String... extra) {
        String[] f = new String[8 + extra.length];
        String[] pseudo = {":method", method, ":scheme", "http", ":authority", "localhost", ":path", path};
        System.arraycopy(pseudo, 0, f, 0, 8);
        System.arraycopy(extra, 0, f, 8, extra.length);
        return f;
    }

    static byte[] data(int streamId, byte[] data, boolean endStream) {
        byte[] b = new byte[9 + data.length];
        int p = FrameWriter.dataHeader(b, 0, streamId, data.length, endStream);
        System.arraycopy(data, 0, b, p, data.length);
        return b;
    }

    static byte[] raw(int type, int flags, int streamId, byte[] payload) {
        byte[] b = new byte[9 + payload.length];
        int p = FrameWriter.header(b, 0, payload.length, type, flags, streamId);
        System.arraycopy(payload, 0, b, p, payload.length);
        return b;
    }

    static byte[] windowUpdate(int streamId, int increment) {
        byte[] b = raw(FrameType.WINDOW_UPDATE, 0, streamId, new byte[4]);
        b[9] = (byte) (increment >>> 24);
        b[10] = (byte) (increment >>> 16);
        b[11] = (byte) (increment >>> 8);
        b[12] = (byte) increment;
        return b;
    }

    static byte[] rstStream(int streamId, ErrorCode code) {
        return frame(FrameWriter.RST_STREAM_LENGTH, (b, at) -> FrameWriter.rstStream(b, at, streamId, code));
    }

    static byte[] ping(long data) {
        return frame(FrameWriter.PING_LENGTH, (b, at) -> FrameWriter.ping(b, at, false, data));
    }

    void send(byte[]... frames) throws IOException {
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        for (byte[] f : frames) {
            all.write(f);
        }
        out.write(all.toByteArray());
        out.flush();
    }

    /** Frames read for other streams while {@link #response} waited for one; {@link #next} returns them first. */
    private final java.util.ArrayDeque<In> parked = new java.util.ArrayDeque<>();

    /** The next frame from the server. */
    In next() throws IOException {
        In p = parked.pollFirst();
        if (p != null) {
            return p;
        }
        return read();
    }

    /** Reads a frame; a HEADERS frame's block is decoded now, in the order the server encoded it. */
    private In read() throws IOException {
        readFully(header);
        int length = FrameParser.payloadLength(header, 0);
        byte[] payload = new byte[length];
        readFully(payload);
        int id = ((header[5] & 0x7F) << 24) | (header[6] & 0xFF) << 16 | (header[7] & 0xFF) << 8 | header[8] & 0xFF;
        In f = new In(header[3] & 0xFF, header[4] & 0xFF, id, payload);
        if (f.type() == FrameType.HEADERS && f.has(FrameFlags.END_HEADERS)) {
            decodedBlocks.put(f, decode(f));
        }
        return f;
    }

    private final java.util.IdentityHashMap<In, Headers> decodedBlocks = new java.util.IdentityHashMap<>();

    private void readFully(byte[] b) throws IOException {
        int n = 0;
        while (n < b.length) {
            int r = in.read(b, n, b.length - n);
            if (r < 0) {
                throw new EOFException("the server closed the connection");
            }
            n += r;
        }
    }

    /** Reads frames until one of {@code type}, skipping the others; fails at the end of the connection. */
    In expect(int type) throws IOException {
        List<In> skipped = new ArrayList<>();
        while (true) {
            In f;
            try {
                f = next();
            } catch (IOException e) {
                throw new AssertionError("no " + FrameType.name(type) + " frame before " + e + "; got " + skipped);
            }
            if (f.type() == type) {
                return f;
            }
            if (f.type() == FrameType.HEADERS) {
                decodedBlocks.remove(f);
            }
            skipped.add(f);
        }
    }

    /** Reads until GOAWAY, checks its code, and that the server then closes the connection. */
    In expectGoAway(ErrorCode code) throws IOException {
        In g = expect(FrameType.GOAWAY);
        assertEquals(code, g.errorCode(), g.toString());
        expectClosed();
        return g;
    }

    /** Reads until the server closes the connection (frames in between are ignored). */
    void expectClosed() throws IOException {
        try {
            while (true) {
                next();
            }
        } catch (EOFException | SocketException e) {
            // closed, or reset after closing
        }
    }

    /** Reads until RST_STREAM on {@code streamId} and checks its code. */
    In expectReset(int streamId, ErrorCode code) throws IOException {
        while (true) {
            In f = expect(FrameType.RST_STREAM);
            if (f.streamId() == streamId) {
                assertEquals(code, f.errorCode(), f.toString());
                return f;
            }
        }
    }

    /**
     * Reads the response on {@code streamId}: interim heads, the head, DATA, trailers, to END_STREAM; frames of other
     * streams are skipped. Credits the connection and the stream for each DATA frame, so large bodies flow.
     */
    Response response(int streamId) throws IOException {
        Headers head = null;
        Headers trailers = null;
        int status = 0;
        List<Integer> informational = new ArrayList<>();
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        java.util.ArrayDeque<In> others = new java.util.ArrayDeque<>();
        try {
            return response(streamId, head, trailers, status, informational, body, others);
        } finally {
            while (!others.isEmpty()) {
                parked.addFirst(others.pollLast());
            }
        }
    }

    private Response response(int streamId, Headers head, Headers trailers, int status, List<Integer> informational,
            ByteArrayOutputStream body, java.util.ArrayDeque<In> others) throws IOException {
        while (true) {
            In f = next();
            if (f.type() == FrameType.GOAWAY || f.type() == FrameType.RST_STREAM && f.streamId() == streamId) {
                fail("stream " + streamId + " ended by " + f);
            }
            if (f.streamId() != streamId) {
                if (f.streamId() != 0) {
                    others.addLast(f);
                }
                continue;
            }
            if (f.type() == FrameType.HEADERS) {
                assertEquals(FrameFlags.END_HEADERS, f.flags() & FrameFlags.END_HEADERS, "one frame per block here");
                Headers fields = fields(f);
                if (head == null && fields.get(":status") != null) {
                    int s = Integer.parseInt(fields.get(":status"));
                    if (s < 200) {
                        informational.add(s);
                        continue;
                    }
                    status = s;
                    fields.remove(":status");
                    head = fields;
                } else {
                    trailers = fields;
                }
            } else if (f.type() == FrameType.DATA) {
                body.write(f.payload());
                if (f.payload().length > 0) {
                    send(windowUpdate(0, f.payload().length), windowUpdate(streamId, f.payload().length));
                }
            }
            if ((f.type() == FrameType.HEADERS || f.type() == FrameType.DATA) && f.has(FrameFlags.END_STREAM)) {
                return new Response(status, head, body.toByteArray(), trailers, informational);
            }
        }
    }

    /** A HEADERS frame's field block (END_HEADERS set), as decoded when it was read. */
    Headers fields(In f) {
        Headers h = decodedBlocks.remove(f);
        return h != null ? h : decode(f);
    }

    private Headers decode(In f) {
        Headers fields = new Headers();
        try {
            decoder.decode(f.payload(), 0, f.payload().length, fields::add);
        } catch (ConnectionError e) {
            throw new AssertionError("the server's field block does not decode: " + e.getMessage(), e);
        }
        return fields;
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
