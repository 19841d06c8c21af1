package dev.weft.http.h2;

import java.util.HexFormat;

/** Hex dumps as the RFCs print them, spaces and line breaks ignored. */
final class Hex {
    private Hex() {
    }

    static byte[] bytes(String hex) {
        return HexFormat.of().parseHex(hex.replaceAll("\\s+", ""));
    }

    static String of(byte[] b, int from, int to) {
        return HexFormat.of().formatHex(b, from, to);
    }

    static String of(byte[] b) {
        return of(b, 0, b.length);
    }
}
