package dev.weft.dbpool.http;

import dev.weft.dbpool.PoolExhaustedException;
import dev.weft.http.Handler;
import dev.weft.http.Middleware;

/**
 * Turns a {@link PoolExhaustedException} thrown by a handler (directly or as the cause of another exception) into
 * {@code 503 Service Unavailable} with {@code Retry-After}, so a client is told to come back instead of waiting on
 * a request the database cannot take now. Any other exception passes through to the server's own handling; so does
 * this one when the response is already committed, since its status can no longer change.
 */
public final class PoolExhaustedMiddleware implements Middleware {

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
                w.headers().set("Content-Type", "text/plain; charset=utf-8");
                w.writeHeader(503);
                w.write("service busy: the database has no free connection, retry in "
                        + exhausted.retryAfterSeconds() + " s\n");
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
