/**
 * HTTP/2 (RFC 9113) and HPACK (RFC 7541): the codec as pure functions of bytes (frames parsed and written, field
 * blocks decoded and encoded, flow-control windows and stream states as arithmetic and transition functions), so
 * every rule of the RFCs is tested directly, table-driven, and fuzzed; and {@link dev.weft.http.h2.Http2Connection},
 * the connection loop that serves them over a socket, with the threads and clocks, behind {@link
 * dev.weft.http.h2.Http2Host}, which the server implements.
 *
 * <p>Errors are {@link dev.weft.http.h2.ConnectionError}s (answered with GOAWAY) and
 * {@link dev.weft.http.h2.StreamError}s (answered with RST_STREAM), each with the error code and the scope the RFC
 * names for the rule broken. Public: {@link dev.weft.http.h2.ConnectionPreface}, for the HTTP/1.1 connection to
 * recognise a client that speaks HTTP/2 by prior knowledge, and the connection, its streams, its host and its limits
 * for the server; the codec is package-private.
 */
package dev.weft.http.h2;
