package dev.weft.http;

/**
 * Wraps a handler with behaviour of its own: authentication, rate limits, logging, metrics. A middleware is a
 * function from handler to handler, as in Go, so that composing them needs no framework.
 */
@FunctionalInterface
public interface Middleware {
    Handler wrap(Handler next);

    /**
     * Composes middleware so that the first one listed sees the request first: {@code chain(a, b).wrap(h)} is
     * {@code a.wrap(b.wrap(h))}.
     */
    static Middleware chain(Middleware... middleware) {
        Middleware[] copy = middleware.clone();
        return handler -> {
            Handler wrapped = handler;
            for (int i = copy.length - 1; i >= 0; i--) {
                wrapped = copy[i].wrap(wrapped);
            }
            return wrapped;
        };
    }
}
