package dev.weft.http.h2;

import java.util.Arrays;

/**
 * Puts a field block back together from a HEADERS frame and the CONTINUATION frames that follow it (RFC 9113
 * sections 4.3 and 6.10), and enforces their sequence: while a block is open, the only frame allowed is a
 * CONTINUATION on its stream, and a CONTINUATION is allowed nowhere else. Either violation is a connection error of
 * type PROTOCOL_ERROR, an extension frame in the middle of a block included (section 5.5).
 *
 * <p>A HEADERS frame with END_HEADERS, the usual case, never comes here: its fragment is the whole block and is
 * decoded where it lies. Only a block split across frames is copied, up to {@code maxBlockSize} octets and
 * {@code maxContinuations} CONTINUATION frames. Past either limit the connection is closed with ENHANCE_YOUR_CALM:
 * the block cannot be skipped, since HPACK needs all of it (section 4.3), and a peer that sends an endless block, or
 * one in thousands of empty frames (the CONTINUATION flood of CVE-2024-27316), would otherwise hold the memory or
 * the CPU for as long as it likes.
 */
public final class FieldBlockAssembler {
    private final int maxBlockSize;
    private final int maxContinuations;
    private byte[] block = new byte[0];
    private int length;
    private int continuations;
    /** The HEADERS frame that opened the block in progress, or null. */
    private Frame.Headers headers;

    /**
     * @param maxBlockSize     the largest field block accepted, in encoded octets
     * @param maxContinuations the most CONTINUATION frames one block may use
     */
    public FieldBlockAssembler(int maxBlockSize, int maxContinuations) {
        this.maxBlockSize = maxBlockSize;
        this.maxContinuations = maxContinuations;
    }

    /** True while a block is open: the next frame must continue it. */
    public boolean inProgress() {
        return headers != null;
    }

    /**
     * Checks that {@code frame} may arrive now; every received frame passes here first.
     *
     * @throws ConnectionError PROTOCOL_ERROR when the frame interrupts an open block or is a CONTINUATION without one
     */
    public void checkSequence(Frame frame) throws ConnectionError {
        if (headers != null) {
            if (!(frame instanceof Frame.Continuation) || frame.streamId() != headers.streamId()) {
                throw new ConnectionError(ErrorCode.PROTOCOL_ERROR, describe(frame)
                        + " in the middle of the field block of stream " + headers.streamId());
            }
        } else if (frame instanceof Frame.Continuation) {
            throw new ConnectionError(ErrorCode.PROTOCOL_ERROR, "CONTINUATION frame on stream " + frame.streamId()
                    + " without a HEADERS frame to continue");
        }
    }

    /** Opens a block with a HEADERS frame that has no END_HEADERS, copying its fragment out of {@code buf}. */
    public void start(Frame.Headers frame, byte[] buf) throws ConnectionError {
        if (frame.endHeaders()) {
            throw new IllegalArgumentException("a HEADERS frame with END_HEADERS is a whole block");
        }
        headers = frame;
        length = 0;
        continuations = 0;
        append(buf, frame.fragmentOffset(), frame.fragmentLength());
    }

    /**
     * Adds a CONTINUATION frame's fragment. Returns true when it ends the block, which is then
     * {@code array()[0, length())}, opened by {@link #headers()}.
     */
    public boolean add(Frame.Continuation frame, byte[] buf) throws ConnectionError {
        if (++continuations > maxContinuations) {
            throw new ConnectionError(ErrorCode.ENHANCE_YOUR_CALM, "field block of stream " + frame.streamId()
                    + " continued in more than " + maxContinuations + " CONTINUATION frames");
        }
        append(buf, frame.fragmentOffset(), frame.fragmentLength());
        return frame.endHeaders();
    }

    /** The HEADERS frame that opened the block. */
    public Frame.Headers headers() {
        return headers;
    }

    public byte[] array() {
        return block;
    }

    public int length() {
        return length;
    }

    /** Closes the finished block; its bytes stay valid until the next {@link #start}. */
    public void finish() {
        headers = null;
    }

    private void append(byte[] buf, int offset, int n) throws ConnectionError {
        if (length + n > maxBlockSize) {
            throw new ConnectionError(ErrorCode.ENHANCE_YOUR_CALM, "field block of stream " + headers.streamId()
                    + " larger than " + maxBlockSize + " octets");
        }
        if (length + n > block.length) {
            block = Arrays.copyOf(block, Math.min(maxBlockSize, Math.max(length + n, block.length * 2)));
        }
        System.arraycopy(buf, offset, block, length, n);
        length += n;
    }

    private static String describe(Frame frame) {
        String type = switch (frame) {
            case Frame.Data _ -> "DATA";
            case Frame.Headers _ -> "HEADERS";
            case Frame.Priority _ -> "PRIORITY";
            case Frame.RstStream _ -> "RST_STREAM";
            case Frame.Settings _ -> "SETTINGS";
            case Frame.Ping _ -> "PING";
            case Frame.GoAway _ -> "GOAWAY";
            case Frame.WindowUpdate _ -> "WINDOW_UPDATE";
            case Frame.Continuation _ -> "CONTINUATION";
            case Frame.Unknown u -> FrameType.name(u.type());
        };
        return type + " frame on stream " + frame.streamId();
    }
}
