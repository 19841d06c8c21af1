package dev.weft.logging;

import java.io.PrintStream;

import ch.qos.logback.core.Context;
import ch.qos.logback.core.status.Status;
import ch.qos.logback.core.status.StatusListener;

/**
 * Prints Logback's own warnings and errors (an appender that cannot write, a bad level) on standard error, one line
 * each, and nothing else: what Logback prints for a context without a status listener, less its INFO chatter.
 *
 * <p>Why a listener of our own: without one, Logback ends every start by asking its {@code StatusPrinter} whether
 * there is anything to print, and that class's static date formatter loads the time-zone database, 6 to 9 ms on the
 * path to a service's first request (class-initialisation logs of the shop, with and without the AOT cache).
 */
final class StatusWarnings implements StatusListener {
    private final PrintStream out;

    private StatusWarnings(PrintStream out) {
        this.out = out;
    }

    /** Prints the warnings and errors {@code context} has had so far, then listens for the later ones. */
    static void install(Context context, PrintStream out) {
        StatusWarnings listener = new StatusWarnings(out);
        for (Status status : context.getStatusManager().getCopyOfStatusList()) {
            listener.addStatusEvent(status);
        }
        context.getStatusManager().add(listener);
    }

    @Override
    public void addStatusEvent(Status status) {
        if (status.getEffectiveLevel() >= Status.WARN) {
            out.println("logback: " + status);
        }
    }

    /** Kept when a context is reset: a test or a reconfiguration must not lose the warnings. */
    @Override
    public boolean isResetResistant() {
        return true;
    }
}
