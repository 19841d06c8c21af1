package dev.weft.cache;

import java.time.Duration;

import dev.weft.testkit.RedisTopology;

/**
 * {@link RedisTopologyTest} on a Redis Cluster of three primaries with one replica each; a primary is taken for
 * failed after 2 s ({@code cluster-node-timeout}) and its replica promoted by the cluster itself.
 */
class RedisClusterTest extends RedisTopologyTest {
    @Override
    RedisTopology start() {
        return RedisTopology.cluster(Duration.ofSeconds(2));
    }
}
