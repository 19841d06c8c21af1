package dev.weft.shop.web;

import java.util.Map;

import dev.weft.http.Request;

/** Parses the numeric ids that the shop's routes take in their paths ({@code /products/{id}}). */
public final class PathIds {
    private PathIds() {}

    /**
     * The path value {@code name} as a positive long.
     *
     * @throws ApiError 400 naming the field when it is not a positive integer
     */
    public static long positive(Request r, String name) {
        String raw = r.pathValue(name);
        long id = 0;
        if (raw != null && !raw.isEmpty() && raw.length() <= 19 && raw.chars().allMatch(c -> c >= '0' && c <= '9')) {
            try {
                id = Long.parseLong(raw);
            } catch (NumberFormatException tooLarge) {
                id = 0;
            }
        }
        if (id <= 0) {
            throw ApiError.invalid(Map.of(name, "must be a positive integer, was '" + raw + "'"));
        }
        return id;
    }
}
