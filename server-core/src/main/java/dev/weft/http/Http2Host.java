package dev.weft.http;

/**
 * What the server provides to an {@link Http2Connection}: running a stream's handler with the server's API, and
 * counting. One per connection. The connection calls {@link #serve} on the stream's own virtual thread and every
 * other method on whichever thread noticed the event; implementations must be thread-safe.
 */
interface Http2Host {
    /**
     * Serves one request: builds it from {@code stream}, calls the handler, completes the response through the
     * stream's send methods. Returns when the response is complete or abandoned; must not throw.
     */
    void serve(Http2Stream stream);

    /**
     * A defence fired against a misbehaving client: {@code attack} is one of {@code rapid_reset},
     * {@code continuation_flood}, {@code header_list_size}, {@code settings_flood}, {@code ping_flood},
     * {@code zero_window}, {@code stream_id} and {@code empty_frames}; {@code detail} says what was seen.
     */
    void defended(String attack, String detail);

    /** Bytes read from and written to the connection since the last call. */
    void transferred(long in, long out);
}
