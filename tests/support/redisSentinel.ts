import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { Redis } from 'ioredis';
import { startRedisServer, type RedisServer } from './redisServer';

export interface RedisSentinelGroup {
  /** the master group name, as REDIS_SENTINEL_NAME takes it */
  name: string;
  /** the password of the master and the replica, as REDIS_PASSWORD takes it */
  password: string;
  master: RedisServer;
  replica: RedisServer;
  sentinel: RedisServer;
  /** host:port of the sentinel, as REDIS_SENTINELS takes it */
  sentinels: string;
  /** The port of the server the sentinel names master now. */
  masterPort(): Promise<number>;
  destroy(): Promise<void>;
}

/**
 * A real Sentinel set-up for a test: a master and one replica (both with a password), and one
 * sentinel (quorum 1) that declares the master down after `downAfterMs` and promotes the replica.
 */
export async function startRedisSentinel(options: { downAfterMs?: number } = {}): Promise<RedisSentinelGroup> {
  const name = 'careers';
  const password = 'sentinel-test-password';
  const master = await startRedisServer({ password });
  const replica = await startRedisServer({ password, args: ['--replicaof', '127.0.0.1', String(master.port)] });
  const sentinel = await startRedisServer({
    // Sentinel rewrites its config file as it learns, so it gets one of its own in its folder.
    configFile: (_port, dir) => {
      const file = path.join(dir, 'sentinel.conf');
      writeFileSync(
        file,
        [
          `sentinel monitor ${name} 127.0.0.1 ${master.port} 1`,
          `sentinel auth-pass ${name} ${password}`,
          `sentinel down-after-milliseconds ${name} ${options.downAfterMs ?? 1000}`,
          `sentinel failover-timeout ${name} 5000`,
          '',
        ].join('\n'),
      );
      return file;
    },
    args: ['--sentinel'],
  });
  const group: RedisSentinelGroup = {
    name,
    password,
    master,
    replica,
    sentinel,
    sentinels: `127.0.0.1:${sentinel.port}`,
    masterPort: async () => {
      const client = new Redis({ port: sentinel.port, host: '127.0.0.1', retryStrategy: () => null, maxRetriesPerRequest: 0 });
      try {
        const [, port] = (await client.call('SENTINEL', 'get-master-addr-by-name', name)) as [string, string];
        return Number(port);
      } finally {
        client.disconnect();
      }
    },
    destroy: async () => {
      await Promise.all([sentinel.destroy(), replica.destroy(), master.destroy()]);
    },
  };
  // Wait until the replica has its copy, so a failover has something to promote.
  const deadline = Date.now() + 10_000;
  const probe = new Redis({ port: replica.port, host: '127.0.0.1', password, retryStrategy: () => null, maxRetriesPerRequest: 0 });
  try {
    while (!/master_link_status:up/.test(await probe.info('replication'))) {
      if (Date.now() > deadline) throw new Error('the test replica did not sync with its master in 10 s');
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  } finally {
    probe.disconnect();
  }
  return group;
}
