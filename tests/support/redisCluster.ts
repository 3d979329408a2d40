import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { Cluster, Redis, type RedisOptions } from 'ioredis';
import { startRedisServer, type RedisServer, type RedisTlsFiles } from './redisServer';

const run = promisify(execFile);

/** Every key of one server matching `pattern` (SCAN, so it never blocks the server). */
export async function scanAll(redis: Redis, pattern: string): Promise<string[]> {
  const keys: string[] = [];
  let cursor = '0';
  do {
    const [next, batch] = await redis.scan(cursor, 'MATCH', pattern, 'COUNT', 1000);
    keys.push(...batch);
    cursor = next;
  } while (cursor !== '0');
  return [...new Set(keys)];
}

export interface RedisClusterNode {
  server: RedisServer;
  /** the node's own id in the cluster */
  id: string;
}

export interface RedisCluster {
  /** every node, masters first as created (a replica's master may change after a failover) */
  nodes: RedisClusterNode[];
  /** URLs of every node, as REDIS_CLUSTER_NODES takes them: with the password if there is one, rediss://localhost with TLS */
  urls: string[];
  /** With TLS: the test CA's certificate (PEM file), which a client must trust, and the node certificate's files. */
  tls?: RedisTlsFiles;
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
  /** requirepass and masterauth on every node */
  password?: string;
  /**
   * TLS only, for clients, the cluster bus and replication, with a certificate for `localhost`
   * from a CA made for this cluster (openssl, in a temporary folder). The nodes announce
   * themselves as `localhost`, so a client reaches every node by the name its certificate carries.
   */
  tls?: boolean;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** How the helper's own connections reach a node: its password, and TLS trusting the cluster's CA by the name in its certificate. */
interface Access {
  host: string;
  options: Pick<RedisOptions, 'password' | 'tls'>;
}

/** A plain connection to one node that never reconnects (a stopped node must not leave timers behind). */
function direct(access: Access, port: number): Redis {
  return new Redis({ ...access.options, port, host: access.host, lazyConnect: false, retryStrategy: () => null, maxRetriesPerRequest: 0, commandTimeout: 1000 });
}

async function withNode<T>(access: Access, port: number, use: (redis: Redis) => Promise<T>): Promise<T> {
  const redis = direct(access, port);
  redis.on('error', () => undefined);
  try {
    return await use(redis);
  } finally {
    redis.disconnect();
  }
}

/**
 * A throwaway CA and a certificate it signs for `localhost` (no IP address in it), in a new
 * temporary folder. The certificate serves as server and as client (the cluster bus and
 * replication connect with it too).
 */
async function makeCertificates(): Promise<RedisTlsFiles & { dir: string }> {
  const dir = mkdtempSync(path.join(tmpdir(), 'careersbot-redis-tls-'));
  const file = (name: string) => path.join(dir, name);
  const ec = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'];
  try {
    await run('openssl', ['req', '-x509', ...ec, '-keyout', file('ca.key'), '-out', file('ca.crt'), '-days', '2', '-subj', '/CN=careersbot test CA'], { timeout: 10_000 });
    await run('openssl', ['req', ...ec, '-keyout', file('node.key'), '-out', file('node.csr'), '-subj', '/CN=localhost'], { timeout: 10_000 });
    writeFileSync(file('node.ext'), 'subjectAltName=DNS:localhost\nbasicConstraints=CA:FALSE\nextendedKeyUsage=serverAuth,clientAuth\n');
    await run(
      'openssl',
      ['x509', '-req', '-in', file('node.csr'), '-CA', file('ca.crt'), '-CAkey', file('ca.key'), '-CAcreateserial', '-out', file('node.crt'), '-days', '2', '-extfile', file('node.ext')],
      { timeout: 10_000 },
    );
  } catch (error) {
    rmSync(dir, { recursive: true, force: true });
    throw error;
  }
  return { dir, certFile: file('node.crt'), keyFile: file('node.key'), caFile: file('ca.crt'), host: 'localhost' };
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
  const { password } = options;
  const certificates = options.tls ? await makeCertificates() : undefined;
  const tls = certificates && { certFile: certificates.certFile, keyFile: certificates.keyFile, caFile: certificates.caFile, host: certificates.host };
  const removeCertificates = () => certificates && rmSync(certificates.dir, { recursive: true, force: true });
  const access: Access = {
    host: tls ? tls.host : '127.0.0.1',
    options: { ...(password ? { password } : {}), ...(tls ? { tls: { ca: readFileSync(tls.caFile) } } : {}) },
  };
  const started = await Promise.allSettled(
    Array.from({ length: masters * (1 + replicas) }, () =>
      startRedisServer({
        // cluster-config-file is relative to the node's own folder; a replica may take over at once (no wait for its data age).
        args: [
          '--cluster-enabled',
          'yes',
          '--cluster-config-file',
          'nodes.conf',
          '--cluster-node-timeout',
          String(nodeTimeout),
          '--cluster-replica-validity-factor',
          '0',
          // TLS between the nodes too; each node gives clients its name, not its address, in CLUSTER SLOTS and redirections.
          ...(tls ? ['--tls-cluster', 'yes', '--tls-replication', 'yes', '--cluster-announce-hostname', tls.host, '--cluster-preferred-endpoint-type', 'hostname'] : []),
        ],
        ...(password ? { password } : {}),
        ...(tls ? { tls } : {}),
      }),
    ),
  );
  const servers = started.flatMap((result) => (result.status === 'fulfilled' ? [result.value] : []));
  const failedStart = started.find((result) => result.status === 'rejected');
  if (failedStart) {
    await Promise.all(servers.map((server) => server.destroy()));
    removeCertificates();
    throw failedStart.reason;
  }
  const stopped = new Set<RedisServer>();
  try {
    // --cluster create makes the first `masters` nodes masters and the rest their replicas.
    const cliAccess = [...(password ? ['-a', password, '--no-auth-warning'] : []), ...(tls ? ['--tls', '--cacert', tls.caFile, '--sni', tls.host] : [])];
    await run('redis-cli', [...cliAccess, '--cluster', 'create', ...servers.map((server) => `127.0.0.1:${server.port}`), '--cluster-replicas', String(replicas), '--cluster-yes'], { timeout: 30_000 });
  } catch (error) {
    await Promise.all(servers.map((server) => server.destroy()));
    removeCertificates();
    throw error;
  }
  const ids = await Promise.all(servers.map((server) => withNode(access, server.port, async (redis) => String(await redis.call('CLUSTER', 'MYID')))));
  const nodes = servers.map((server, index) => ({ server, id: ids[index] }));
  const clients: Cluster[] = [];

  const alive = () => nodes.filter((node) => !stopped.has(node.server));
  const cluster: RedisCluster = {
    nodes,
    urls: servers.map((server) =>
      tls ? `rediss://${password ? `:${encodeURIComponent(password)}@` : ''}${tls.host}:${server.port}` : password ? `redis://:${encodeURIComponent(password)}@127.0.0.1:${server.port}` : server.url,
    ),
    ...(tls ? { tls } : {}),
    client: () => {
      const client = new Cluster(
        servers.map((server) => ({ host: access.host, port: server.port })),
        {
          slotsRefreshInterval: 1000,
          redisOptions: { ...access.options, maxRetriesPerRequest: 1 },
          // With TLS, connect by name (checked against the certificate), as ioredis's README says for TLS clusters.
          ...(tls ? { dnsLookup: (address: string, callback: (error: null, address: string) => void) => callback(null, address) } : {}),
        },
      );
      client.on('error', () => undefined);
      clients.push(client);
      return client;
    },
    masters: async () => {
      const found: { node: RedisClusterNode; redis: Redis }[] = [];
      for (const node of alive()) {
        const redis = direct(access, node.server.port);
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
            withNode(access, node.server.port, async (redis) => {
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
      const ranges = await withNode(access, anyNode.server.port, async (redis) => (await redis.call('CLUSTER', 'SLOTS')) as [number, number, [string, number]][]);
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
            withNode(access, node.server.port, async (redis) => {
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
        const found = await Promise.all(masters.map(({ redis }) => scanAll(redis, pattern)));
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
      removeCertificates();
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
