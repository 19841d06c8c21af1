package dev.weft.gateway.ratelimit;

import java.time.Duration;

import dev.weft.testkit.RedisTopology;

/** {@link RateLimitTopologyTest} on a Redis Cluster of three primaries with one replica each. */
class RateLimitClusterTest extends RateLimitTopologyTest {
    @Override
    RedisTopology start() {
        return RedisTopology.cluster(Duration.ofSeconds(2));
    }
}
