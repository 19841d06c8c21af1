package dev.weft.cache.local;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * Collapses concurrent calls for one key into one execution (Go's {@code singleflight}): the first caller runs
 * the work; everyone who arrives while it runs waits for, and shares, its result or its exception. Once it ends the
 * key is free again, so a later call runs the work anew (this is not a cache).
 *
 * <p>Not Caffeine's {@code get(key, fn)}: that holds a lock on the key's hash bin for the whole load, which blocks
 * unrelated keys in the same bin during slow I/O.
 */
public final class SingleFlight<K, T> {
    private final ConcurrentHashMap<K, CompletableFuture<T>> inFlight = new ConcurrentHashMap<>();

    /** Runs {@code work} for {@code key}, or waits for the run already in flight; rethrows its runtime exception. */
    public T run(K key, Supplier<T> work) {
        CompletableFuture<T> mine = new CompletableFuture<>();
        CompletableFuture<T> theirs = inFlight.putIfAbsent(key, mine);
        if (theirs != null) {
            try {
                return theirs.join();
            } catch (CompletionException e) {
                throw e.getCause() instanceof RuntimeException r ? r : e;
            }
        }
        try {
            T result = work.get();
            mine.complete(result);
            return result;
        } catch (RuntimeException | Error e) {
            mine.completeExceptionally(e);
            throw e;
        } finally {
            inFlight.remove(key, mine);
        }
    }

    /** How many keys are being worked on now. */
    public int inFlight() {
        return inFlight.size();
    }
}
