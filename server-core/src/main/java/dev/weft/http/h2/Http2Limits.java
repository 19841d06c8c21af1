package dev.weft.http.h2;

/**
 * The limits and deadlines the server's HTTP/2 connection enforces: the HTTP/1.1 connection's, read from the same
 * configuration, plus the number of concurrent streams.
 *
 * @param maxConcurrentStreams   SETTINGS_MAX_CONCURRENT_STREAMS: streams a client may have open at once; a stream
 *                               beyond it is refused with REFUSED_STREAM
 * @param maxHeaderListSize      SETTINGS_MAX_HEADER_LIST_SIZE: a request whose header list decodes larger is
 *                               answered 431 (the HTTP/1.1 side's maxHeaderBytes)
 * @param maxBodyBytes           a request body larger than this fails the handler's read with 413
 * @param readHeaderTimeoutNanos how long the client preface, and each field block split across frames, may take
 * @param readTimeoutNanos       how long a stream's request body may take, from its HEADERS frame; 408 beyond
 * @param writeTimeoutNanos      how long one socket write, or a wait for flow-control credit, may take; the
 *                               connection is closed beyond it
 * @param idleTimeoutNanos       how long a connection without open streams is kept
 */
public record Http2Limits(int maxConcurrentStreams, int maxHeaderListSize, long maxBodyBytes,
        long readHeaderTimeoutNanos, long readTimeoutNanos, long writeTimeoutNanos, long idleTimeoutNanos) {
}
