package dev.weft.testkit;

import java.util.Map;

/** Reads the {@code WEFT_TEST_*} coordinates: a variable unset or blank takes its default; a bad port is named. */
record Env(Map<String, String> variables) {
    String get(String name, String fallback) {
        String value = variables.get(name);
        return value == null || value.isBlank() ? fallback : value.strip();
    }

    /** A password or user may be deliberately empty: only an unset variable takes the default. */
    String raw(String name, String fallback) {
        String value = variables.get(name);
        return value == null ? fallback : value;
    }

    int port(String name, int fallback) {
        String value = get(name, null);
        if (value == null) {
            return fallback;
        }
        try {
            int port = Integer.parseInt(value);
            if (port >= 1 && port <= 65535) {
                return port;
            }
        } catch (NumberFormatException e) {
            // named below
        }
        throw new IllegalArgumentException(name + " must be a port number from 1 to 65535, was \"" + value + "\"");
    }
}
