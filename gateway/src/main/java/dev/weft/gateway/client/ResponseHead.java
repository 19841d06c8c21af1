package dev.weft.gateway.client;

import dev.weft.http.Headers;
import dev.weft.http.codec.FieldSink;

/**
 * An upstream response's head as server-core's codec parsed it ({@link dev.weft.http.codec.ResponseHead}: status,
 * framing, keep-alive), with its header fields and the {@code Connection} field picked out while they were handed
 * over, so that nothing scans the headers for it again.
 *
 * @param parsed     the status line and the framing the codec found
 * @param headers    the header fields in order
 * @param connection the Connection field's values, joined, or null
 */
public record ResponseHead(dev.weft.http.codec.ResponseHead parsed, Headers headers, String connection) {
    public int status() {
        return parsed.status();
    }

    public String reason() {
        return parsed.reason();
    }

    /** True when the upstream allows the connection to carry another exchange after this response. */
    public boolean keepAlive() {
        return parsed.keepAlive();
    }

    /** Collects the fields as the codec hands them over. */
    static final class Fields implements FieldSink {
        final Headers headers = new Headers(12);
        String connection;

        @Override
        public void field(String name, String value) {
            headers.add(name, value);
            if ("Connection".equals(name)) { // well-known names arrive in their canonical case
                connection = connection == null ? value : connection + ", " + value;
            }
        }
    }
}
