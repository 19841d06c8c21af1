/**
 * HTTP/2 (RFC 9113) and HPACK (RFC 7541) as pure functions of bytes: frames parsed and written, field blocks
 * decoded and encoded, flow-control windows and stream states as arithmetic and transition functions. Nothing here
 * reads a socket, starts a thread or reads a clock, so every rule of the RFCs is tested directly, table-driven, and
 * fuzzed.
 *
 * <p>Errors are {@link dev.weft.http.h2.ConnectionError}s (answered with GOAWAY) and
 * {@link dev.weft.http.h2.StreamError}s (answered with RST_STREAM), each with the error code and the scope the RFC
 * names for the rule broken. Only {@link dev.weft.http.h2.ConnectionPreface} is public, for the HTTP/1.1 connection
 * to recognise a client that speaks HTTP/2 by prior knowledge; the rest is package-private, for the HTTP/2
 * connection that will live beside it.
 */
package dev.weft.http.h2;
