import { Cluster, Redis } from 'ioredis';
import type { RedisTarget } from '../../adapters/redis/connection';
import { scanAll, startRedisCluster } from './redisCluster';
import { startRedisServer } from './redisServer';

/** A real Redis the Redis suites run on, whichever its form, with what a test needs to look inside it. */
export interface RedisBackend {
  target: RedisTarget;
  /** A client of its own to read and write keys directly (a Cluster client on a cluster). */
  inspector(): Redis | Cluster;
  /** Every key matching `pattern`, from every master (SCAN, so it never blocks a server). */
  keys(pattern: string): Promise<string[]>;
  destroy(): Promise<void>;
}

/** One redis-server, as the bot runs on with REDIS_URL. */
export async function startSingleBackend(): Promise<RedisBackend> {
  const server = await startRedisServer();
  const inspectors: Redis[] = [];
  return {
    target: { url: server.url },
    inspector: () => {
      const redis = new Redis(server.url);
      inspectors.push(redis);
      return redis;
    },
    keys: async (pattern) => {
      const redis = new Redis(server.url);
      try {
        return await scanAll(redis, pattern);
      } finally {
        redis.disconnect();
      }
    },
    destroy: async () => {
      for (const redis of inspectors) redis.disconnect();
      await server.destroy();
    },
  };
}

/** A three-master Redis Cluster (no replicas: these suites test the stores, not failover), as the bot runs on with REDIS_CLUSTER_NODES. */
export async function startClusterBackend(): Promise<RedisBackend> {
  const cluster = await startRedisCluster({ masters: 3, replicasPerMaster: 0 });
  return {
    target: { clusterNodes: cluster.urls },
    inspector: () => cluster.client(),
    keys: async (pattern) => {
      const masters = await cluster.masters();
      try {
        return (await Promise.all(masters.map(({ redis }) => scanAll(redis, pattern)))).flat();
      } finally {
        for (const { redis } of masters) redis.disconnect();
      }
    },
    destroy: () => cluster.destroy(),
  };
}

/** The Redis forms every Redis contract suite runs on: `describe.each(REDIS_BACKENDS)('... on %s', (_name, start) => ...)`. */
export const REDIS_BACKENDS: [name: string, start: () => Promise<RedisBackend>][] = [
  ['a single redis server', startSingleBackend],
  ['a three-master redis cluster', startClusterBackend],
];
