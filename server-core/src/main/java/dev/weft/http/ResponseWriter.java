package dev.weft.http;

import java.io.IOException;
import java.io.OutputStream;

/**
 * Writes one response, as Go's {@code http.ResponseWriter}.
 *
 * <p>Headers are mutable until the response is committed: by {@link #writeHeader}, by the first body byte, or by
 * {@link #flush}. The status defaults to 200. When the handler returns without committing, or when the whole body
 * was written without a flush, the writer knows the body's size and sends {@code Content-Length}; a body streamed
 * past the writer's buffer, or flushed early, goes out chunked (HTTP/1.1) or delimited by closing the connection
 * (HTTP/1.0). A handler may set {@code Content-Length} itself to stream a body of known size. {@code Date} and
 * {@code Server} are added unless the handler set them. For {@code HEAD} requests the body is counted, not sent.
 */
public interface ResponseWriter {
    /** The response headers; changes after the response is committed are ignored. */
    Headers headers();

    /**
     * Sends the status line and headers. Only the first call counts; a later one is ignored and logged, as in Go.
     *
     * @throws IllegalArgumentException if {@code status} is not a three-digit code from 100 to 999
     */
    void writeHeader(int status);

    /** Writes body bytes, committing the headers with status 200 if nothing was committed yet. */
    void write(byte[] bytes, int offset, int length) throws IOException;

    default void write(byte[] bytes) throws IOException {
        write(bytes, 0, bytes.length);
    }

    /** Writes {@code text} as UTF-8. */
    void write(String text) throws IOException;

    /**
     * Sends what is buffered now, committing the headers if needed. A flushed response of unknown length is sent
     * chunked.
     */
    void flush() throws IOException;

    /** The body as a stream, for copying; closing it does not end the response or close the connection. */
    OutputStream body();

    /** True once the status line and headers went out (or were fixed for sending). */
    boolean committed();

    /** The status sent or to be sent: 200 until {@link #writeHeader} says otherwise. */
    int status();
}
