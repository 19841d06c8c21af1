/**
 * HTTP/1.1 (RFC 9112) as pure functions of bytes, for both directions: no sockets, no threads, no clock, so that
 * every rule is tested table-driven and fuzzed without I/O. The server reads requests with it; a client or proxy
 * reads responses with it, with the same field rules and the same strictness, as Go's {@code net/http} shares
 * {@code transfer.go} between its server and its client.
 *
 * <p>The public API, and all of it:
 * <ul>
 *   <li>{@link dev.weft.http.codec.RequestHeadParser} gives a {@link dev.weft.http.codec.RequestHead};</li>
 *   <li>{@link dev.weft.http.codec.ResponseHeadParser} gives a {@link dev.weft.http.codec.ResponseHead}, whose
 *       {@link dev.weft.http.codec.ResponseHead.Framing} says how its body is delimited;</li>
 *   <li>{@link dev.weft.http.codec.ChunkedDecoder} consumes the framing of a chunked body, either direction;</li>
 *   <li>fields go to a {@link dev.weft.http.codec.FieldSink} ({@code headers::add}) once the whole section passed;
 *       a refusal is a {@link dev.weft.http.codec.ParseException} carrying the status to answer;</li>
 *   <li>{@link dev.weft.http.codec.FieldValues#hasToken} reads a comma-separated field value
 *       ({@code Connection: keep-alive, Upgrade}).</li>
 * </ul>
 * Parsers keep per-connection caches and are not thread-safe; one per connection. How a field line is read
 * ({@code FieldReader}) is package-private, one implementation for requests, responses and trailers.
 *
 * <p>Reading a response on a client connection, in outline ({@code buf[pos, limit)} the bytes read so far):
 * <pre>{@code
 * ResponseHeadParser heads = new ResponseHeadParser(16 * 1024);
 * ChunkedDecoder chunked = ChunkedDecoder.forResponses(16 * 1024);
 * ResponseHead head;
 * do {
 *     Headers headers = new Headers();
 *     while ((head = heads.parse(buf, pos, limit, method.equals("HEAD"), headers::add)) == null) {
 *         // read more into buf[limit, ...)
 *     }
 *     pos = head.end();
 * } while (head.interim());                   // 100 Continue, 103 Early Hints: the final response follows
 * switch (head.framing()) {
 *     case NONE -> { }                        // done; reusable if head.keepAlive()
 *     case LENGTH -> { }                      // exactly head.contentLength() bytes
 *     case CHUNKED -> { }                     // chunked.reset(), then ChunkedDecoder's loop
 *     case UNTIL_CLOSE -> { }                 // until end of stream; never reusable
 * }
 * // Reuse the connection only if head.keepAlive(), the body was read to its end, and pos == limit:
 * // bytes left over are a response nobody asked for and must never reach the next exchange.
 * }</pre>
 * Any {@link dev.weft.http.codec.ParseException} from a response means the upstream connection is unusable: close
 * it and answer 502.
 */
package dev.weft.http.codec;
