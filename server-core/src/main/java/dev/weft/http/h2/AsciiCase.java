package dev.weft.http.h2;

/**
 * ASCII case folding for field names, which HTTP/2 sends in lower case (RFC 9113 section 8.2) while handlers may
 * name them {@code Content-Type}. Only A-Z fold: unlike {@link String#equalsIgnoreCase}, no other Latin-1 letter is
 * ever equal to an ASCII one.
 */
final class AsciiCase {
    private AsciiCase() {
    }

    static boolean equalsIgnoreCase(String a, String b) {
        int n = a.length();
        if (n != b.length()) {
            return false;
        }
        for (int i = 0; i < n; i++) {
            char x = a.charAt(i);
            char y = b.charAt(i);
            if (x != y && lower(x) != lower(y)) {
                return false;
            }
        }
        return true;
    }

    /** A hash code equal for names that differ only in ASCII case. */
    static int hashIgnoreCase(String s) {
        int h = 0;
        for (int i = 0, n = s.length(); i < n; i++) {
            h = 31 * h + lower(s.charAt(i));
        }
        return h;
    }

    /** {@code s} with A-Z lowered; {@code s} itself when it has none. */
    static String toLowerCase(String s) {
        int n = s.length();
        int i = 0;
        while (i < n && !isUpper(s.charAt(i))) {
            i++;
        }
        if (i == n) {
            return s;
        }
        char[] chars = s.toCharArray();
        for (; i < n; i++) {
            chars[i] = lower(chars[i]);
        }
        return new String(chars);
    }

    private static boolean isUpper(char c) {
        return c >= 'A' && c <= 'Z';
    }

    private static char lower(char c) {
        return isUpper(c) ? (char) (c + 32) : c;
    }
}
