package dev.weft.http;

import java.time.Duration;
import java.util.List;

/**
 * What a graceful {@link Server#shutdown} did.
 *
 * @param took                 from the call to the last connection closed (or the deadline)
 * @param idleClosed           keep-alive connections closed while waiting for a request
 * @param finished             connections whose in-flight request completed during the grace period
 * @param forceClosed          connections still busy at the deadline and closed then
 * @param cutRequests          the requests that were cut at the deadline ({@code GET /slow from 10.0.0.1:51234})
 */
public record ShutdownReport(Duration took, int idleClosed, int finished, int forceClosed, List<String> cutRequests) {
    public ShutdownReport {
        cutRequests = List.copyOf(cutRequests);
    }

    /** True when nothing had to be cut: every accepted request was answered. */
    public boolean graceful() {
        return forceClosed == 0;
    }

    @Override
    public String toString() {
        return "shutdown in " + took.toMillis() + " ms: " + idleClosed + " idle closed, " + finished
                + " finished, " + forceClosed + " force-closed" + (cutRequests.isEmpty() ? "" : " " + cutRequests);
    }
}
