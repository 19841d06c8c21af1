package dev.weft.http;

import java.io.IOException;

/** Writes the common complete responses: a status with a text or JSON body, or a redirect. */
public final class Responses {
    private Responses() {}

    /** Sends {@code status} with {@code message} as the body, {@code text/plain; charset=utf-8}. */
    public static void text(ResponseWriter w, int status, String message) throws IOException {
        w.headers().set("Content-Type", "text/plain; charset=utf-8");
        w.writeHeader(status);
        w.write(message);
    }

    /** Sends {@code status} with {@code body}, already serialised, as {@code application/json}. */
    public static void json(ResponseWriter w, int status, byte[] body) throws IOException {
        w.headers().set("Content-Type", "application/json");
        w.writeHeader(status);
        w.write(body);
    }

    /**
     * Redirects to {@code location} (a path or an absolute URL, already escaped) with {@code status}, usually 301,
     * 302, 303, 307 or 308, and a short HTML body with a link, as Go's {@code http.Redirect}.
     *
     * @throws IllegalArgumentException when {@code location} holds a control character, which would let it
     *                                  inject header fields
     */
    public static void redirect(ResponseWriter w, String location, int status) throws IOException {
        for (int i = 0; i < location.length(); i++) {
            char c = location.charAt(i);
            if (c < 0x20 || c == 0x7f) {
                throw new IllegalArgumentException("redirect location holds a control character: " + location);
            }
        }
        w.headers().set("Location", location);
        w.headers().set("Content-Type", "text/html; charset=utf-8");
        w.writeHeader(status);
        w.write("<a href=\"" + htmlEscape(location) + "\">" + reason(status) + "</a>.\n");
    }

    private static String reason(int status) {
        return switch (status) {
            case 301 -> "Moved Permanently";
            case 302 -> "Found";
            case 303 -> "See Other";
            case 307 -> "Temporary Redirect";
            case 308 -> "Permanent Redirect";
            default -> "Redirect";
        };
    }

    private static String htmlEscape(String s) {
        StringBuilder out = new StringBuilder(s.length() + 8);
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '&' -> out.append("&amp;");
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '"' -> out.append("&#34;");
                case '\'' -> out.append("&#39;");
                default -> out.append(c);
            }
        }
        return out.toString();
    }
}
