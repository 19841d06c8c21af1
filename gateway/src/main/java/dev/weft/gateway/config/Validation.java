package dev.weft.gateway.config;

import java.time.Duration;
import java.util.List;

/** The checks several configuration records share. */
final class Validation {
    private Validation() {}

    static void positive(String path, Duration d, List<String> problems) {
        if (d == null || d.isNegative() || d.isZero()) {
            problems.add(path + ": must be a positive duration, got " + d);
        }
    }

    static void positive(String path, long n, List<String> problems) {
        if (n <= 0) {
            problems.add(path + ": must be positive, got " + n);
        }
    }

    static void port(String path, int port, List<String> problems) {
        if (port < 1 || port > 65535) {
            problems.add(path + ": must be a port from 1 to 65535, got " + port);
        }
    }

    static void required(String path, String value, List<String> problems) {
        if (value == null || value.isBlank()) {
            problems.add(path + ": is required");
        }
    }
}
