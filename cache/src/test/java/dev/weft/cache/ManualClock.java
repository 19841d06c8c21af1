package dev.weft.cache;

import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.concurrent.atomic.AtomicLong;

/** A wall clock that moves only when a test says so, handed to a node by {@code Caches.open(config, registry, clock)}. */
final class ManualClock implements InstantSource {
    private final AtomicLong millis = new AtomicLong(Instant.parse("2026-01-01T00:00:00Z").toEpochMilli());

    @Override
    public long millis() {
        return millis.get();
    }

    @Override
    public Instant instant() {
        return Instant.ofEpochMilli(millis());
    }

    void advance(Duration by) {
        millis.addAndGet(by.toMillis());
    }
}
