package dev.weft.http.h2;

/**
 * Receives the fields of a decoded field block, in order. It cannot refuse one: decoding must run to the end of the
 * block whatever the fields are, or the dynamic table would fall out of step with the peer's (RFC 9113 section 4.3),
 * so a sink that finds a field malformed records it and answers after the block.
 */
@FunctionalInterface
public interface FieldSink {
    void field(String name, String value);
}
