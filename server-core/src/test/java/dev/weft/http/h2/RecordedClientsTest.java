package dev.weft.http.h2;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

/**
 * The first octets real clients send, recorded with {@code socat -u TCP-LISTEN:PORT OPEN:capture.bin} (nghttp2-client
 * 1.52.0 from Debian 12), parsed as the connection will: the preface, then frame after frame, the field blocks
 * decoded in order by one decoder.
 */
class RecordedClientsTest {
    /** {@code h2load -n2 -c1 -m2 http://127.0.0.1:18089/plaintext}: two requests, the second all indexes but :path. */
    static final String H2LOAD = "505249202a20485454502f322e300d0a0d0a534d0d0a0d0a"
            + "00000c040000000000" + "000200000000" + "00043fffffff"
            + "000004080000000000" + "3fff0000"
            + "000029010500000001"
            + "048762ba066a925f2986418b089d5c0b8170dc0bc079ff827a8f9c541c722954d3a5358980aed89707"
            + "00000d010500000003" + "048762ba066a925f2986bf82be";

    /**
     * {@code nghttp -d body.txt -H 'cookie: a=b' -H 'cookie: c=d' http://127.0.0.1:18090/orders?x=1}: RFC 7540
     * priorities (five PRIORITY frames, then a HEADERS frame with the PRIORITY flag), cookies never indexed, a body.
     */
    static final String NGHTTP = "505249202a20485454502f322e300d0a0d0a534d0d0a0d0a"
            + "00000c040000000000" + "000300000064" + "00040000ffff"
            + "000005020000000003" + "00000000c8"
            + "000005020000000005" + "0000000064"
            + "000005020000000007" + "0000000000"
            + "000005020000000009" + "0000000700"
            + "00000502000000000b" + "0000000300"
            + "00004201240000000d" + "0000000b0f"
            + "83048960f6485b11fe79803f86418b089d5c0b8170dc0bc07c1f53032a2f2a907a8aaa"
            + "69d29ac4c0576c4b830f0d0231311f1103613d621f1103633d64"
            + "00000b00010000000d" + "68656c6c6f3d776f726c64";

    @Test
    void readsH2load() throws Http2Exception {
        List<String> events = read(H2LOAD);
        assertEquals(List.of(
                "SETTINGS [Setting[id=2, value=0], Setting[id=4, value=1073741823]]",
                "WINDOW_UPDATE 0 +1073676288",
                "HEADERS 1 END_STREAM [:path: /plaintext, :scheme: http, :authority: 127.0.0.1:18089, :method: GET,"
                        + " user-agent: h2load nghttp2/1.52.0]",
                "HEADERS 3 END_STREAM [:path: /plaintext, :scheme: http, :authority: 127.0.0.1:18089, :method: GET,"
                        + " user-agent: h2load nghttp2/1.52.0]"), events);
    }

    @Test
    void readsNghttp() throws Http2Exception {
        List<String> events = read(NGHTTP);
        assertEquals(List.of(
                "SETTINGS [Setting[id=3, value=100], Setting[id=4, value=65535]]",
                "PRIORITY 3", "PRIORITY 5", "PRIORITY 7", "PRIORITY 9", "PRIORITY 11",
                "HEADERS 13 [:method: POST, :path: /orders?x=1, :scheme: http, :authority: 127.0.0.1:18090,"
                        + " accept: */*, accept-encoding: gzip, deflate, user-agent: nghttp2/1.52.0,"
                        + " content-length: 11, cookie: a=b, cookie: c=d]",
                "DATA 13 END_STREAM hello=world"), events);
    }

    private static List<String> read(String hex) throws Http2Exception {
        byte[] in = Hex.bytes(hex);
        assertTrue(ConnectionPreface.matches(in, 0, in.length));
        HpackDecoder decoder = new HpackDecoder(4096, 16_384, 8_192);
        FieldBlockAssembler assembler = new FieldBlockAssembler(16_384, 8);
        List<String> events = new ArrayList<>();
        int at = ConnectionPreface.LENGTH;
        while (at < in.length) {
            int length = FrameParser.frameLength(in, at, in.length, 16_384);
            Frame frame = FrameParser.parse(in, at);
            assembler.checkSequence(frame);
            events.add(switch (frame) {
                case Frame.Settings s -> "SETTINGS " + s.settings();
                case Frame.WindowUpdate w -> "WINDOW_UPDATE " + w.streamId() + " +" + w.increment();
                case Frame.Priority p -> "PRIORITY " + p.streamId();
                case Frame.Headers h -> {
                    List<String> fields = new ArrayList<>();
                    assertTrue(decoder.decode(in, h.fragmentOffset(), h.fragmentOffset() + h.fragmentLength(),
                            (name, value) -> fields.add(name + ": " + value)));
                    yield "HEADERS " + h.streamId() + (h.endStream() ? " END_STREAM " : " ") + fields;
                }
                case Frame.Data d -> "DATA " + d.streamId() + (d.endStream() ? " END_STREAM " : " ")
                        + new String(in, d.dataOffset(), d.dataLength(), StandardCharsets.ISO_8859_1);
                default -> frame.toString();
            });
            at += length;
        }
        return events;
    }
}
