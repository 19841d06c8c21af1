package dev.weft.http;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Tells a handler that its work is no longer wanted, as Go's {@code Request.Context()}: it is cancelled when the
 * client goes away, when the server's shutdown deadline passes, or when the response fails to be written.
 *
 * <p>Handlers doing long work check {@link #isCancelled()} or register {@link #onCancel}; a cancelled context never
 * becomes live again. Safe for use from any thread.
 */
public final class Context {
    /** Why a context was cancelled. */
    public enum Cause {
        CLIENT_GONE,
        SERVER_SHUTDOWN,
        WRITE_FAILED,
        CANCELLED
    }

    private List<Runnable> callbacks;
    private volatile Cause cause;

    public boolean isCancelled() {
        return cause != null;
    }

    /** The reason for cancellation, or null while live. */
    public Cause cause() {
        return cause;
    }

    /**
     * Runs {@code callback} once when the context is cancelled: at once, on the calling thread, if it already is;
     * otherwise on the thread that cancels it.
     */
    public void onCancel(Runnable callback) {
        synchronized (this) {
            if (cause == null) {
                if (callbacks == null) {
                    callbacks = new ArrayList<>(2);
                }
                callbacks.add(callback);
                return;
            }
        }
        callback.run();
    }

    /** Waits up to {@code timeout} for cancellation; true if it happened. */
    public boolean await(long timeout, TimeUnit unit) throws InterruptedException {
        long deadline = System.nanoTime() + unit.toNanos(timeout);
        synchronized (this) {
            while (cause == null) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return false;
                }
                TimeUnit.NANOSECONDS.timedWait(this, left);
            }
            return true;
        }
    }

    /** Cancels the context with {@code why}; later calls do nothing. Returns true for the call that cancelled it. */
    public boolean cancel(Cause why) {
        List<Runnable> toRun;
        synchronized (this) {
            if (cause != null) {
                return false;
            }
            cause = why;
            toRun = callbacks;
            callbacks = null;
            notifyAll();
        }
        if (toRun != null) {
            for (Runnable callback : toRun) {
                callback.run();
            }
        }
        return true;
    }
}
