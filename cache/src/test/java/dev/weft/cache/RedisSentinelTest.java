package dev.weft.cache;

import java.time.Duration;

import dev.weft.testkit.RedisTopology;

/**
 * {@link RedisTopologyTest} on a primary and a replica watched by three sentinels; the sentinels take the primary for
 * down after 1 s ({@code down-after-milliseconds}) and promote the replica.
 */
class RedisSentinelTest extends RedisTopologyTest {
    @Override
    RedisTopology start() {
        return RedisTopology.sentinel("weft-primary", Duration.ofSeconds(1));
    }
}
