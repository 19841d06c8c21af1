package dev.weft.http.codec;

/**
 * Receives the fields of a header or trailer section, in order, once the whole section has been parsed and passed
 * every check: a sink never sees the fields of a message that is then refused or still incomplete. The names of
 * well-known fields arrive in their canonical case ({@code Content-Length}), the others as received.
 *
 * <p>{@code headers::add} of a {@code dev.weft.http.Headers} is one.
 */
@FunctionalInterface
public interface FieldSink {
    void field(String name, String value);
}
