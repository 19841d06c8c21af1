package dev.weft.service.http;

import java.io.IOException;

import dev.weft.dbpool.PoolExhaustedException;
import dev.weft.http.Handler;
import dev.weft.http.Middleware;
import dev.weft.http.Responses;
import dev.weft.http.ResponseWriter;

/**
 * Turns a {@link PoolExhaustedException} thrown by a handler (directly or as the cause of another exception) into
 * {@code 503 Service Unavailable} with {@code Retry-After}, so a client is told to come back instead of waiting on
 * a request the database cannot take now. Any other exception passes through to the server's own handling; so does
 * this one when the response is already committed, since its status can no longer change.
 *
 * <p>The mapping (which exception, which status, which header) lives here; the body's format is the service's: a
 * JSON API passes an {@link ErrorWriter} that writes its own error shape, so every refusal it sends looks alike.
 */
public final class PoolExhaustedMiddleware implements Middleware {

    /** Writes a refusal's status and body; {@code Retry-After} is already among the headers. */
    @FunctionalInterface
    public interface ErrorWriter {
        void write(ResponseWriter w, int status, String message) throws IOException;
    }

    private final ErrorWriter errorWriter;

    /** Answers in plain text ({@link Responses#text}). */
    public PoolExhaustedMiddleware() {
        this(Responses::text);
    }

    /** Answers with {@code errorWriter}'s body. */
    public PoolExhaustedMiddleware(ErrorWriter errorWriter) {
        this.errorWriter = errorWriter;
    }

    @Override
    public Handler wrap(Handler next) {
        return (w, r) -> {
            try {
                next.serve(w, r);
            } catch (Exception e) {
                PoolExhaustedException exhausted = find(e);
                if (exhausted == null || w.committed()) {
                    throw e;
                }
                w.headers().set("Retry-After", Long.toString(exhausted.retryAfterSeconds()));
                errorWriter.write(w, 503, "service busy: the database has no free connection, retry in "
                        + exhausted.retryAfterSeconds() + " s");
            }
        };
    }

    /** {@code e} or the first of its causes that is a {@link PoolExhaustedException}, or null. */
    static PoolExhaustedException find(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof PoolExhaustedException p) {
                return p;
            }
        }
        return null;
    }
}
