/**
 * HTTP/2 (RFC 9113) and HPACK (RFC 7541): the codec as pure functions of bytes (frames parsed and written, field
 * blocks decoded and encoded, flow-control windows and stream states as arithmetic and transition functions, settings,
 * error codes and limits), so every rule of the RFCs is tested directly, table-driven, and fuzzed. No sockets,
 * threads or clocks.
 *
 * <p>The package imports nothing from {@code dev.weft.http}: fields go in and out as names and values
 * ({@link dev.weft.http.h2.FieldSink} for decoding, {@link dev.weft.http.h2.HpackEncoder#encodeField} for encoding),
 * so the server's {@code Headers} never reaches the codec. The connection loop that serves these frames over a socket
 * needs the server's types, so it lives in {@code dev.weft.http}, package-private, beside the HTTP/1.1 connection,
 * as Go's net/http bundles its HTTP/2 server while the frame and HPACK codec is a package of its own; the types it
 * uses here are public for that reason, and the package has no cycle with the server.
 *
 * <p>Errors are {@link dev.weft.http.h2.ConnectionError}s (answered with GOAWAY) and
 * {@link dev.weft.http.h2.StreamError}s (answered with RST_STREAM), each with the error code and the scope the RFC
 * names for the rule broken. {@link dev.weft.http.h2.ConnectionPreface} lets the HTTP/1.1 connection recognise a
 * client that speaks HTTP/2 by prior knowledge.
 */
package dev.weft.http.h2;
