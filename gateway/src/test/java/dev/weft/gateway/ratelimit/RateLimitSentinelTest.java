package dev.weft.gateway.ratelimit;

import java.time.Duration;

import dev.weft.testkit.RedisTopology;

/** {@link RateLimitTopologyTest} on a primary and a replica watched by three sentinels. */
class RateLimitSentinelTest extends RateLimitTopologyTest {
    @Override
    RedisTopology start() {
        return RedisTopology.sentinel("weft-primary", Duration.ofSeconds(1));
    }
}
