package dev.weft.http.h2;

/**
 * The error codes of RST_STREAM and GOAWAY frames (RFC 9113 section 7).
 *
 * <p>A code this server does not know, received from a peer, is treated as {@link #INTERNAL_ERROR}, as section 7
 * allows ("Unknown or unsupported error codes MUST NOT trigger any special behavior"); the frames keep the raw code
 * for logging.
 */
public enum ErrorCode {
    NO_ERROR(0x0),
    PROTOCOL_ERROR(0x1),
    INTERNAL_ERROR(0x2),
    FLOW_CONTROL_ERROR(0x3),
    SETTINGS_TIMEOUT(0x4),
    STREAM_CLOSED(0x5),
    FRAME_SIZE_ERROR(0x6),
    REFUSED_STREAM(0x7),
    CANCEL(0x8),
    COMPRESSION_ERROR(0x9),
    CONNECT_ERROR(0xa),
    ENHANCE_YOUR_CALM(0xb),
    INADEQUATE_SECURITY(0xc),
    HTTP_1_1_REQUIRED(0xd);

    private static final ErrorCode[] BY_CODE = values();

    private final int code;

    ErrorCode(int code) {
        this.code = code;
    }

    /** The 32-bit value on the wire. */
    int code() {
        return code;
    }

    /** The constant for a code received from the peer; {@link #INTERNAL_ERROR} for one this server does not know. */
    public static ErrorCode of(int code) {
        return code >= 0 && code < BY_CODE.length ? BY_CODE[code] : INTERNAL_ERROR;
    }
}
