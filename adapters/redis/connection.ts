import { Cluster, type ClusterOptions, type RedisOptions } from 'ioredis';
import { COMMAND_TIMEOUT_MS, createFailFastRedis, reconnectDelay, reportErrors, type RedisClient, type WarnLogger, type Where } from './redisClient';

/** Where the stores' Redis is: one server by URL, a Redis Cluster by some of its nodes, or the master a Sentinel group names. */
export type RedisTarget =
  | { url: string }
  | { clusterNodes: string[] }
  | {
      sentinels: { host: string; port: number }[];
      sentinelName: string;
      /** of the master and replicas Sentinel names */
      password?: string;
      /** of the sentinels themselves */
      sentinelPassword?: string;
    };

/** The settings a target is read from (config.ts): at most one of the three forms is set, which config.ts checks. */
export interface RedisSettings {
  REDIS_URL?: string;
  REDIS_CLUSTER_NODES?: string[];
  REDIS_SENTINELS?: { host: string; port: number }[];
  REDIS_SENTINEL_NAME?: string;
  REDIS_PASSWORD?: string;
  REDIS_SENTINEL_PASSWORD?: string;
}

/** The Redis the settings name, or undefined for in-process stores. */
export function redisTargetOf(settings: RedisSettings): RedisTarget | undefined {
  if (settings.REDIS_URL) return { url: settings.REDIS_URL };
  if (settings.REDIS_CLUSTER_NODES && settings.REDIS_CLUSTER_NODES.length > 0) return { clusterNodes: settings.REDIS_CLUSTER_NODES };
  if (settings.REDIS_SENTINELS && settings.REDIS_SENTINEL_NAME) {
    return {
      sentinels: settings.REDIS_SENTINELS,
      sentinelName: settings.REDIS_SENTINEL_NAME,
      ...(settings.REDIS_PASSWORD ? { password: settings.REDIS_PASSWORD } : {}),
      ...(settings.REDIS_SENTINEL_PASSWORD ? { sentinelPassword: settings.REDIS_SENTINEL_PASSWORD } : {}),
    };
  }
  return undefined;
}

/** Host and port of a redis:// URL, for logs, and what in it is secret. */
function urlTarget(url: string): Where {
  try {
    const parsed = new URL(url);
    const secrets = [parsed.password, decodeURIComponent(parsed.password), url].filter((value) => value.length > 0);
    return { host: `${parsed.hostname}:${parsed.port || '6379'}`, secrets };
  } catch {
    return { host: 'an unparsable URL', secrets: [url] };
  }
}

/** What logs may say of the target (hosts and ports), and every secret that must never reach them. */
export function describeTarget(target: RedisTarget): Where {
  if ('url' in target) return urlTarget(target.url);
  if ('clusterNodes' in target) {
    const nodes = target.clusterNodes.map(urlTarget);
    return { host: `cluster ${nodes.map((node) => node.host).join(',')}`, secrets: nodes.flatMap((node) => node.secrets) };
  }
  return {
    host: `sentinel ${target.sentinelName} at ${target.sentinels.map(({ host, port }) => `${host}:${port}`).join(',')}`,
    secrets: [target.password, target.sentinelPassword].filter((secret): secret is string => Boolean(secret)),
  };
}

/**
 * The options of one node's connection, as a redis:// URL gives them: credentials and, for
 * rediss://, TLS (verified against the host name as written).
 */
function nodeOptions(url: string): Pick<RedisOptions, 'username' | 'password' | 'tls'> {
  const parsed = new URL(url);
  return {
    ...(parsed.username ? { username: decodeURIComponent(parsed.username) } : {}),
    ...(parsed.password ? { password: decodeURIComponent(parsed.password) } : {}),
    ...(parsed.protocol === 'rediss:' ? { tls: {} } : {}),
  };
}

/**
 * A Redis Cluster client that fails as the single-server one does where the Cluster client lets
 * it: each node connection with the same command timeout, no retry per request and no resend of
 * commands in flight; the cluster's own offline queue only until the first connection. A command
 * to a slot whose master has just failed is retried by ioredis while the cluster fails over
 * (MOVED, CLUSTERDOWN and closed connections, at most 16 tries 100 ms apart), then fails. The slot
 * map is refreshed every few seconds too, so a frozen master (commands time out, no MOVED comes)
 * is left once the cluster has promoted its replica.
 */
function createClusterClient(urls: string[]): Cluster {
  const nodes = urls.map((url) => {
    const parsed = new URL(url);
    return { host: parsed.hostname.replace(/^\[(.*)\]$/, '$1'), port: Number(parsed.port || '6379') };
  });
  // config.ts has checked that every URL has the same scheme and credentials.
  const shared = nodeOptions(urls[0]);
  const options: ClusterOptions = {
    redisOptions: {
      ...shared,
      commandTimeout: COMMAND_TIMEOUT_MS,
      maxRetriesPerRequest: 0,
      autoResendUnfulfilledCommands: false,
      connectTimeout: 5000,
      disconnectTimeout: 500,
    },
    // See createFailFastRedis: no auto-pipelining, for the same reason.
    enableAutoPipelining: false,
    enableOfflineQueue: true,
    lazyConnect: false,
    clusterRetryStrategy: reconnectDelay,
    slotsRefreshInterval: 5000,
    slotsRefreshTimeout: 1000,
    // With TLS, connect by the host name as written, so the certificate is checked against it
    // (ioredis would otherwise resolve it to an address first; its README's advice for TLS clusters).
    ...(shared.tls ? { dnsLookup: (address: string, callback: (error: null, address: string) => void) => callback(null, address) } : {}),
  };
  const client = new Cluster(nodes, options);
  const failFast = () => {
    client.options.enableOfflineQueue = false;
  };
  client.once('ready', failFast);
  client.once('close', failFast);
  return client;
}

/**
 * The one place a Redis connection is opened: a single server by URL (createFailFastRedis), a
 * Redis Cluster, or the master a Sentinel group names (the same fail-fast client, which asks the
 * sentinels for the master again on every reconnect, so it follows a failover by itself).
 * Connection problems are logged (rate-limited, never with a credential) under `role`.
 */
export function createRedisConnection(target: RedisTarget, logger?: WarnLogger, role = 'commands'): RedisClient {
  let client: RedisClient;
  if ('url' in target) client = createFailFastRedis(target.url);
  else if ('clusterNodes' in target) client = createClusterClient(target.clusterNodes);
  else
    client = createFailFastRedis({
      sentinels: target.sentinels,
      name: target.sentinelName,
      ...(target.password ? { password: target.password } : {}),
      ...(target.sentinelPassword ? { sentinelPassword: target.sentinelPassword } : {}),
      // Asks the sentinels for the master again as soon as they announce a switch, rather than when the old one fails.
      failoverDetector: true,
    });
  reportErrors(client, describeTarget(target), role, logger);
  return client;
}
