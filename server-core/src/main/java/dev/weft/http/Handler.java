package dev.weft.http;

/**
 * Answers one HTTP request: reads what it needs from {@code r} and writes the response through {@code w}.
 *
 * <p>Like Go's {@code http.Handler}, this is the only interface a service must implement. It is called on the
 * connection's own virtual thread, so it may block. A handler that throws before committing the response gets a
 * 500; one that throws after the headers went out has its connection closed, since the client cannot be told.
 * The request and writer are only valid until {@code serve} returns.
 */
@FunctionalInterface
public interface Handler {
    void serve(ResponseWriter w, Request r) throws Exception;
}
