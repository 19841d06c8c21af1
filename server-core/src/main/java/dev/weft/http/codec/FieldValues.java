package dev.weft.http.codec;

/** The list syntax of field values (RFC 9110 section 5.6.1): one implementation for requests and responses. */
public final class FieldValues {
    private FieldValues() {}

    @FunctionalInterface
    interface TokenAction {
        void accept(String value, int start, int end) throws ParseException;
    }

    /** Calls {@code action} with each comma-separated element of {@code value}, OWS trimmed (possibly empty). */
    static void forEachToken(String value, TokenAction action) throws ParseException {
        int n = value.length();
        for (int start = 0; ; ) {
            int comma = value.indexOf(',', start);
            int end = comma < 0 ? n : comma;
            int s = skipOws(value, start, end);
            action.accept(value, s, trimOws(value, s, end));
            if (comma < 0) {
                return;
            }
            start = comma + 1;
        }
    }

    /**
     * True when the comma-separated list {@code value} (RFC 9110 section 5.6.1, as in {@code Connection} or
     * {@code Transfer-Encoding}) has the element {@code token}, ignoring case and optional whitespace.
     */
    public static boolean hasToken(String value, String token) {
        int n = value.length();
        for (int start = 0; ; ) {
            int comma = value.indexOf(',', start);
            int end = comma < 0 ? n : comma;
            int s = skipOws(value, start, end);
            if (tokenIs(value, s, trimOws(value, s, end), token)) {
                return true;
            }
            if (comma < 0) {
                return false;
            }
            start = comma + 1;
        }
    }

    private static int skipOws(String v, int s, int e) {
        while (s < e && (v.charAt(s) == ' ' || v.charAt(s) == '\t')) {
            s++;
        }
        return s;
    }

    private static int trimOws(String v, int s, int e) {
        while (e > s && (v.charAt(e - 1) == ' ' || v.charAt(e - 1) == '\t')) {
            e--;
        }
        return e;
    }

    static boolean tokenIs(String value, int s, int e, String token) {
        return e - s == token.length() && value.regionMatches(true, s, token, 0, token.length());
    }
}
