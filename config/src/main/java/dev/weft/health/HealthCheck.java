package dev.weft.health;

/**
 * One dependency's health, for a readiness probe: return normally when healthy, throw with a message saying what
 * is wrong otherwise. The probe runs each check with its own timeout, so a check may block; it should still be
 * cheap (a {@code SELECT 1}, a Redis {@code PING}, a look at a connection's state).
 */
@FunctionalInterface
public interface HealthCheck {
    void check() throws Exception;
}
