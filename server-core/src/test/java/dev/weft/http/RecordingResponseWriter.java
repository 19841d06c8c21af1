package dev.weft.http;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/** A ResponseWriter that records what a handler wrote, as Go's {@code httptest.ResponseRecorder}. */
public final class RecordingResponseWriter implements ResponseWriter {
    private final Headers headers = new Headers();
    private final ByteArrayOutputStream body = new ByteArrayOutputStream();
    private int status = 200;
    private boolean committed;

    @Override
    public Headers headers() {
        return headers;
    }

    @Override
    public void writeHeader(int status) {
        if (status < 100 || status > 999) {
            throw new IllegalArgumentException("invalid status " + status);
        }
        if (!committed) {
            this.status = status;
            committed = true;
        }
    }

    @Override
    public void write(byte[] bytes, int offset, int length) {
        committed = true;
        body.write(bytes, offset, length);
    }

    @Override
    public void write(String text) {
        byte[] b = text.getBytes(StandardCharsets.UTF_8);
        write(b, 0, b.length);
    }

    @Override
    public void flush() {
        committed = true;
    }

    @Override
    public OutputStream body() {
        return new OutputStream() {
            @Override
            public void write(int b) {
                RecordingResponseWriter.this.write(new byte[] {(byte) b}, 0, 1);
            }

            @Override
            public void write(byte[] b, int off, int len) {
                RecordingResponseWriter.this.write(b, off, len);
            }
        };
    }

    @Override
    public boolean committed() {
        return committed;
    }

    @Override
    public int status() {
        return status;
    }

    public String bodyText() {
        return body.toString(StandardCharsets.UTF_8);
    }

    public String header(String name) {
        return headers.get(name);
    }
}
