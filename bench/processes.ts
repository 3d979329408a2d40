import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { promisify } from 'node:util';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Redis } from 'ioredis';
import { freePort } from './freePort';

/** The child processes the benchmark starts: its own redis-server and the servers under test. */

const children = new Set<ChildProcess>();
process.once('exit', () => {
  for (const child of children) child.kill('SIGKILL');
});

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function until(what: string, deadlineMs: number, ready: () => Promise<boolean>, child?: ChildProcess): Promise<void> {
  const deadline = Date.now() + deadlineMs;
  for (;;) {
    if (child && child.exitCode !== null) throw new Error(`${what} exited with code ${child.exitCode} before it was ready`);
    if (await ready().catch(() => false)) return;
    if (Date.now() > deadline) throw new Error(`${what} was not ready within ${deadlineMs} ms`);
    await sleep(100);
  }
}

export interface BenchRedis {
  /** what the servers under test are given to reach it: REDIS_URL, or REDIS_CLUSTER_NODES */
  env: Record<string, string>;
  /** Redis's own count of the bytes it holds for data (INFO memory used_memory), summed over a cluster's masters. */
  usedMemory(): Promise<number>;
  /** Deletes every key under the prefix; resolves how many there were. */
  deleteKeys(prefix: string): Promise<number>;
  /**
   * Counts the commands every server (each master of a cluster) runs while `during` runs
   * (MONITOR): those clients sent, each one a request and its reply, and those scripts ran inside.
   */
  countCommands<T>(during: () => Promise<T>): Promise<{ result: T; sent: number; inScripts: number }>;
  stop(): Promise<void>;
}

/** MONITOR on each connection while `during` runs: commands clients sent, and commands scripts ran. */
async function countCommands<T>(urls: string[], during: () => Promise<T>): Promise<{ result: T; sent: number; inScripts: number }> {
  const counts = { sent: 0, inScripts: 0 };
  const monitors = await Promise.all(
    urls.map(async (url) => {
      const client = new Redis(url, { maxRetriesPerRequest: 1 });
      client.on('error', () => undefined);
      const monitor = await client.monitor();
      monitor.on('monitor', (_time: string, args: string[], source: string) => {
        if (source === 'lua') counts.inScripts += 1;
        else if (!['info', 'monitor'].includes(String(args[0]).toLowerCase())) counts.sent += 1;
      });
      return { client, monitor };
    }),
  );
  try {
    const result = await during();
    return { result, ...counts };
  } finally {
    for (const { client, monitor } of monitors) {
      monitor.disconnect();
      client.disconnect();
    }
  }
}

/** A redis-server of the benchmark's own on a free port, keeping nothing on disk. */
export async function startRedis(): Promise<BenchRedis> {
  const port = await freePort();
  const dir = mkdtempSync(path.join(tmpdir(), 'careers-bench-redis-'));
  const child = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', dir], {
    stdio: 'ignore',
  });
  children.add(child);
  const spawnFailure = new Promise<never>((_resolve, reject) => child.once('error', (error) => reject(new Error(`redis-server could not start (${error.message}); install it or set REDIS_URL`))));
  const url = `redis://127.0.0.1:${port}`;
  const client = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 1, retryStrategy: () => 100 });
  client.on('error', () => undefined);
  await Promise.race([until('redis-server', 10_000, async () => (await client.ping()) === 'PONG', child), spawnFailure]);
  return {
    env: { REDIS_URL: url },
    usedMemory: () => usedMemory(client),
    deleteKeys: (prefix) => deleteKeys(client, prefix),
    countCommands: (during) => countCommands([url], during),
    stop: async () => {
      client.disconnect();
      await stopChild(child);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/**
 * A Redis Cluster of the benchmark's own: three masters (no replicas: a replica adds replication
 * work to the machine, not to the figures of one bot process), each a redis-server on a free port
 * keeping nothing on disk, joined with redis-cli --cluster create.
 */
export async function startRedisCluster(masters = 3): Promise<BenchRedis> {
  const nodes = await Promise.all(
    Array.from({ length: masters }, async () => {
      const port = await freePort();
      const dir = mkdtempSync(path.join(tmpdir(), 'careers-bench-cluster-'));
      const child = spawn(
        'redis-server',
        ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', dir, '--cluster-enabled', 'yes', '--cluster-config-file', 'nodes.conf'],
        { stdio: 'ignore' },
      );
      children.add(child);
      const url = `redis://127.0.0.1:${port}`;
      const client = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 1, retryStrategy: () => 100 });
      client.on('error', () => undefined);
      await until('redis-server (cluster node)', 10_000, async () => (await client.ping()) === 'PONG', child);
      return { port, dir, child, url, client };
    }),
  );
  const stop = async () => {
    for (const node of nodes) node.client.disconnect();
    await Promise.all(nodes.map((node) => stopChild(node.child)));
    for (const node of nodes) rmSync(node.dir, { recursive: true, force: true });
  };
  try {
    await promisify(execFile)('redis-cli', ['--cluster', 'create', ...nodes.map((node) => `127.0.0.1:${node.port}`), '--cluster-replicas', '0', '--cluster-yes'], { timeout: 30_000 });
    await until('the Redis Cluster', 20_000, async () => {
      const states = await Promise.all(nodes.map(async (node) => /cluster_state:ok/.test(String(await node.client.call('CLUSTER', 'INFO')))));
      return states.every(Boolean);
    });
  } catch (error) {
    await stop();
    throw error;
  }
  const each = async (use: (client: Redis) => Promise<number>) => (await Promise.all(nodes.map((node) => use(node.client)))).reduce((sum, value) => sum + value, 0);
  return {
    env: { REDIS_CLUSTER_NODES: nodes.map((node) => node.url).join(',') },
    usedMemory: () => each(usedMemory),
    deleteKeys: (prefix) => each((client) => deleteKeys(client, prefix)),
    countCommands: (during) =>
      countCommands(
        nodes.map((node) => node.url),
        during,
      ),
    stop,
  };
}

/** Someone else's Redis (REDIS_URL): only measured, never started or stopped. */
export async function existingRedis(url: string): Promise<BenchRedis> {
  const client = new Redis(url, { maxRetriesPerRequest: 1 });
  client.on('error', () => undefined);
  await client.ping();
  return {
    env: { REDIS_URL: url },
    usedMemory: () => usedMemory(client),
    deleteKeys: (prefix) => deleteKeys(client, prefix),
    countCommands: (during) => countCommands([url], during),
    stop: async () => void client.disconnect(),
  };
}

/** SCAN for the prefix's keys (a glob, so its special characters are escaped) and UNLINK them, a batch at a time in one pipeline. */
async function deleteKeys(client: Redis, prefix: string): Promise<number> {
  const pattern = `${prefix.replace(/[*?[\]\\]/g, (c) => `\\${c}`)}*`;
  let cursor = '0';
  let deleted = 0;
  do {
    const [next, keys] = await client.scan(cursor, 'MATCH', pattern, 'COUNT', 1000);
    cursor = next;
    // One key a command: on a cluster node the keys of a batch are in different slots.
    if (keys.length > 0) {
      const pipeline = client.pipeline();
      for (const key of keys) pipeline.unlink(key);
      deleted += ((await pipeline.exec()) ?? []).reduce((sum, [error, count]) => sum + (error ? 0 : Number(count)), 0);
    }
  } while (cursor !== '0');
  return deleted;
}

async function usedMemory(client: Redis): Promise<number> {
  const info = await client.info('memory');
  const match = /used_memory:(\d+)/.exec(info);
  if (!match) throw new Error('INFO memory did not report used_memory');
  return Number(match[1]);
}

export interface NodeServer {
  url: string;
  pid: number;
  /** resident set size in bytes, read from /proc */
  rss(): number;
  /** CPU time the process has used (user + system), in milliseconds, read from /proc */
  cpuMs(): number;
  stop(): Promise<void>;
}

/**
 * The Node options `npm start` runs the bot with (package.json; a test keeps the two the same),
 * given to both servers under test. A young generation twice Node's default (16 MB semi-spaces
 * on 64-bit): with hundreds of turns in flight, each scavenge copies what they hold, and
 * scavenging half as often took the bot's CPU per turn down by about a tenth and the echo
 * floor's by about a fifth (measured with this benchmark and BENCH_NODE_OPTIONS='' against it).
 */
export const SERVER_NODE_OPTIONS = '--max-semi-space-size=32';

/** Starts a built Node entry (the bot or the echo floor) and waits until /healthz answers. */
export async function startNodeServer(entry: string, env: Record<string, string>): Promise<NodeServer> {
  const port = await freePort();
  const profile = process.env.BENCH_PROFILE_DIR ? ['--cpu-prof', '--cpu-prof-dir', process.env.BENCH_PROFILE_DIR] : [];
  // The servers run with the Node options `npm start` gives the bot (SERVER_NODE_OPTIONS), or
  // with BENCH_NODE_OPTIONS instead when it is set (say, --trace-gc; empty for Node's defaults).
  // The rest of this process's environment does not reach them, so a developer's settings
  // cannot skew the figures.
  const nodeOptions = { NODE_OPTIONS: process.env.BENCH_NODE_OPTIONS ?? SERVER_NODE_OPTIONS };
  const child = spawn(process.execPath, [...profile, entry], {
    env: { PATH: process.env.PATH ?? '', NODE_ENV: 'production', LOG_LEVEL: 'warn', ...nodeOptions, ...env, PORT: String(port) },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  children.add(child);
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr = (stderr + chunk.toString()).slice(-4000);
  });
  const url = `http://127.0.0.1:${port}`;
  try {
    await until(path.basename(entry), 30_000, async () => (await fetch(`${url}/healthz`)).status === 200, child);
  } catch (error) {
    child.kill('SIGKILL');
    throw new Error(`${error instanceof Error ? error.message : String(error)}\n${stderr}`, { cause: error });
  }
  const pid = child.pid ?? 0;
  return { url, pid, rss: () => rssOf(pid), cpuMs: () => cpuMsOf(pid), stop: () => stopChild(child) };
}

export function rssOf(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const match = /VmRSS:\s+(\d+)\s+kB/.exec(status);
  return match ? Number(match[1]) * 1024 : 0;
}

/** utime + stime from /proc/<pid>/stat (fields 14 and 15, in clock ticks of 10 ms on Linux). */
export function cpuMsOf(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) * 10;
}

function stopChild(child: ChildProcess): Promise<void> {
  children.delete(child);
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const force = setTimeout(() => child.kill('SIGKILL'), 10_000);
    child.once('exit', () => {
      clearTimeout(force);
      resolve();
    });
    child.kill('SIGTERM');
  });
}
