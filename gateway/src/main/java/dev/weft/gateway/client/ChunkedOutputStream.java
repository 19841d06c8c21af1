package dev.weft.gateway.client;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/** Writes a request body of unknown length in chunked coding; {@link #finish()} writes the last chunk. */
final class ChunkedOutputStream extends OutputStream {
    private final OutputStream out;

    ChunkedOutputStream(OutputStream out) {
        this.out = out;
    }

    @Override
    public void write(int b) throws IOException {
        write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
        if (len == 0) {
            return;
        }
        out.write((Integer.toHexString(len) + "\r\n").getBytes(StandardCharsets.ISO_8859_1));
        out.write(b, off, len);
        out.write('\r');
        out.write('\n');
    }

    void finish() throws IOException {
        out.write(new byte[] {'0', '\r', '\n', '\r', '\n'});
    }
}
