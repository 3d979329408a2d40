import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { Cluster, Redis } from 'ioredis';
import { startRedisServer, type RedisServer } from './redisServer';

const run = promisify(execFile);

export interface RedisClusterNode {
  server: RedisServer;
  /** the node's own id in the cluster */
  id: string;
}

export interface RedisCluster {
  /** every node, masters first as created (a replica's master may change after a failover) */
  nodes: RedisClusterNode[];
  /** redis:// URLs of every node, as REDIS_CLUSTER_NODES takes them */
  urls: string[];
  /** A cluster client on it (ioredis Cluster), for the test to look inside. */
  client(): Cluster;
  /** A plain connection to each node that is a master now. */
  masters(): Promise<{ node: RedisClusterNode; redis: Redis }[]>;
  /** Waits until every live node says cluster_state:ok, sees the same masters, and each master has its replicas in sync. */
  settled(timeoutMs?: number): Promise<void>;
  /** The node that is master of `slot` now. */
  masterOf(slot: number): Promise<RedisClusterNode>;
  /** Waits until every replica has all its master has written (their replication offsets agree). */
  replicasCaughtUp(timeoutMs?: number): Promise<void>;
  /** Every key matching `pattern` on the masters (SCAN). */
  keysMatching(pattern: string): Promise<string[]>;
  /**
   * INFO memory used_memory summed over the masters, without what replication and client
   * connections hold (the replication backlog grows with writes up to its size): one copy of the data.
   */
  usedMemory(): Promise<number>;
  destroy(): Promise<void>;
}

export interface RedisClusterOptions {
  masters?: number;
  replicasPerMaster?: number;
  /** cluster-node-timeout: how long a master may be unreachable before its replica takes over */
  nodeTimeoutMs?: number;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** A plain connection to one node that never reconnects (a stopped node must not leave timers behind). */
function direct(port: number): Redis {
  return new Redis({ port, host: '127.0.0.1', lazyConnect: false, retryStrategy: () => null, maxRetriesPerRequest: 0, commandTimeout: 1000 });
}

async function withNode<T>(port: number, use: (redis: Redis) => Promise<T>): Promise<T> {
  const redis = direct(port);
  redis.on('error', () => undefined);
  try {
    return await use(redis);
  } finally {
    redis.disconnect();
  }
}

const field = (info: string, name: string) => new RegExp(`^${name}:(.*)\\r?$`, 'm').exec(info)?.[1]?.trim();

/**
 * A real Redis Cluster for a test: `masters` masters with `replicasPerMaster` replicas each, each
 * node a redis-server on a free port in its own temporary folder (startRedisServer), joined with
 * `redis-cli --cluster create`. Start one per test file: it takes a few seconds.
 */
export async function startRedisCluster(options: RedisClusterOptions = {}): Promise<RedisCluster> {
  const masters = options.masters ?? 3;
  const replicas = options.replicasPerMaster ?? 1;
  const nodeTimeout = options.nodeTimeoutMs ?? 2000;
  const servers = await Promise.all(
    Array.from({ length: masters * (1 + replicas) }, () =>
      startRedisServer({
        // cluster-config-file is relative to the node's own folder; a replica may take over at once (no wait for its data age).
        args: ['--cluster-enabled', 'yes', '--cluster-config-file', 'nodes.conf', '--cluster-node-timeout', String(nodeTimeout), '--cluster-replica-validity-factor', '0'],
      }),
    ),
  );
  const stopped = new Set<RedisServer>();
  try {
    // --cluster create makes the first `masters` nodes masters and the rest their replicas.
    await run('redis-cli', ['--cluster', 'create', ...servers.map((server) => `127.0.0.1:${server.port}`), '--cluster-replicas', String(replicas), '--cluster-yes'], { timeout: 30_000 });
  } catch (error) {
    await Promise.all(servers.map((server) => server.destroy()));
    throw error;
  }
  const ids = await Promise.all(servers.map((server) => withNode(server.port, async (redis) => String(await redis.call('CLUSTER', 'MYID')))));
  const nodes = servers.map((server, index) => ({ server, id: ids[index] }));
  const clients: Cluster[] = [];

  const alive = () => nodes.filter((node) => !stopped.has(node.server));
  const cluster: RedisCluster = {
    nodes,
    urls: servers.map((server) => server.url),
    client: () => {
      const client = new Cluster(
        servers.map((server) => ({ host: '127.0.0.1', port: server.port })),
        { slotsRefreshInterval: 1000, redisOptions: { maxRetriesPerRequest: 1 } },
      );
      client.on('error', () => undefined);
      clients.push(client);
      return client;
    },
    masters: async () => {
      const found: { node: RedisClusterNode; redis: Redis }[] = [];
      for (const node of alive()) {
        const redis = direct(node.server.port);
        redis.on('error', () => undefined);
        const role = await redis.role().catch(() => undefined);
        if (Array.isArray(role) && role[0] === 'master') found.push({ node, redis });
        else redis.disconnect();
      }
      return found;
    },
    settled: async (timeoutMs = 20_000) => {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const views = await Promise.all(
          alive().map((node) =>
            withNode(node.server.port, async (redis) => {
              const info = String(await redis.call('CLUSTER', 'INFO'));
              const replication = await redis.info('replication');
              const slots = JSON.stringify(((await redis.call('CLUSTER', 'SLOTS')) as [number, number, [string, number]][]).map(([from, to, [, port]]) => [from, to, port]).sort());
              return { ok: field(info, 'cluster_state') === 'ok', slots, role: field(replication, 'role'), link: field(replication, 'master_link_status') };
            }).catch(() => undefined),
          ),
        );
        const settled = views.every((view) => view?.ok) && new Set(views.map((view) => view?.slots)).size === 1 && views.every((view) => view?.role === 'master' || view?.link === 'up');
        if (settled) return;
        if (Date.now() > deadline) throw new Error(`the test cluster did not settle in ${timeoutMs} ms: ${JSON.stringify(views)}`);
        await sleep(200);
      }
    },
    masterOf: async (slot) => {
      const anyNode = alive()[0];
      const ranges = await withNode(anyNode.server.port, async (redis) => (await redis.call('CLUSTER', 'SLOTS')) as [number, number, [string, number]][]);
      const port = ranges.find(([from, to]) => slot >= from && slot <= to)?.[2][1];
      const node = nodes.find((candidate) => candidate.server.port === port);
      if (!node) throw new Error(`no master serves slot ${slot}`);
      return node;
    },
    replicasCaughtUp: async (timeoutMs = 10_000) => {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const offsets = await Promise.all(
          alive().map((node) =>
            withNode(node.server.port, async (redis) => {
              const replication = await redis.info('replication');
              return field(replication, 'role') === 'master'
                ? { master: Number(field(replication, 'master_repl_offset')), replicas: [...replication.matchAll(/^slave\d+:.*offset=(\d+)/gm)].map((match) => Number(match[1])) }
                : undefined;
            }),
          ),
        );
        if (offsets.every((entry) => !entry || entry.replicas.every((offset) => offset >= entry.master))) return;
        if (Date.now() > deadline) throw new Error(`the replicas did not catch up in ${timeoutMs} ms`);
        await sleep(50);
      }
    },
    keysMatching: async (pattern) => {
      const masters = await cluster.masters();
      try {
        const found = await Promise.all(
          masters.map(async ({ redis }) => {
            const keys: string[] = [];
            let cursor = '0';
            do {
              const [next, batch] = await redis.scan(cursor, 'MATCH', pattern, 'COUNT', 1000);
              keys.push(...batch);
              cursor = next;
            } while (cursor !== '0');
            return keys;
          }),
        );
        return [...new Set(found.flat())];
      } finally {
        for (const { redis } of masters) redis.disconnect();
      }
    },
    usedMemory: async () => {
      const masters = await cluster.masters();
      try {
        const used = await Promise.all(
          masters.map(async ({ redis }) => {
            const info = await redis.info('memory');
            return ['used_memory', 'mem_replication_backlog', 'mem_clients_slaves', 'mem_clients_normal']
              .map((name) => Number(field(info, name) ?? 0))
              .reduce((data, part, index) => (index === 0 ? part : data - part));
          }),
        );
        return used.reduce((sum, value) => sum + value, 0);
      } finally {
        for (const { redis } of masters) redis.disconnect();
      }
    },
    destroy: async () => {
      for (const client of clients) client.disconnect();
      await Promise.all(servers.map((server) => server.destroy()));
    },
  };
  // A node killed or stopped by a test counts as gone for settled() and masters() until SIGCONT.
  for (const node of nodes) {
    const { kill } = node.server;
    node.server.kill = (signal?: NodeJS.Signals) => {
      if (signal === 'SIGCONT') stopped.delete(node.server);
      else stopped.add(node.server);
      kill(signal);
    };
  }
  await cluster.settled();
  return cluster;
}
