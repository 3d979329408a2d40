import { Cluster, Redis, type Command, type RedisOptions } from 'ioredis';
import { withTimeout } from './redisErrors';
import { errorMessage } from '../../bot/errorMessage';

export interface WarnLogger {
  warn(message: string, fields?: Record<string, unknown>): void;
}

const WARN_INTERVAL_MS = 10_000;

/** A connection the stores run on: one server (directly or through Sentinel) or a Redis Cluster; scripts and commands work on both. */
export type RedisClient = Redis | Cluster;

/** Where a client connects, as logs may say it (hosts and ports), and every secret that must never reach them. */
export interface Where {
  host: string;
  secrets: string[];
}

function redact(text: string, secrets: string[]): string {
  return secrets.reduce((redacted, secret) => redacted.split(secret).join('***'), text);
}

/**
 * ioredis emits 'error' on every failed reconnect; without a listener Node would crash the process.
 * One warning per interval is enough for operators, with a count of what was left out.
 */
export function reportErrors(client: RedisClient, where: Where, role: string, logger?: WarnLogger): void {
  const { host, secrets } = where;
  let lastWarning = 0;
  let suppressed = 0;
  const report = (error: unknown) => {
    const now = Date.now();
    if (now - lastWarning < WARN_INTERVAL_MS) {
      suppressed += 1;
      return;
    }
    lastWarning = now;
    const message = errorMessage(error);
    logger?.warn('redis connection problem', { role, redis: host, error: redact(message, secrets), suppressed });
    suppressed = 0;
  };
  client.on('error', report);
  // A cluster reports each node's connection problems apart from its own.
  if (client instanceof Cluster) client.on('node error', report);
}

/** How long a command may wait for its reply before it fails and the connection is dropped. */
export const COMMAND_TIMEOUT_MS = 2000;

/**
 * A client that notices a frozen server. A command that times out (the server holds the socket
 * but does not answer: stopped, swapping, a long script) makes the client drop the connection
 * and reconnect; until the server answers the new connection's handshake, every command fails at
 * once (no offline queue), so a turn fails fast instead of waiting two seconds per command.
 */
class FailFastRedis extends Redis {
  override sendCommand(command: Command, stream?: Parameters<Redis['sendCommand']>[1]): unknown {
    const result = super.sendCommand(command, stream);
    command.promise.catch((error: unknown) => {
      if (error instanceof Error && error.message === 'Command timed out' && this.status === 'ready') this.disconnect(true);
    });
    return result;
  }
}

/** The options that name a Sentinel group's master. */
export type SentinelOptions = Pick<RedisOptions, 'sentinels' | 'name' | 'password' | 'sentinelPassword' | 'failoverDetector'>;

/**
 * Commands fail within two seconds rather than hang a turn or a health check, and at once while
 * the connection is down: no offline queue, so nothing piles up in memory during an outage. A
 * command in flight when the connection drops is failed, not re-sent later behind the caller's
 * back (the caller has already degraded or retried). The connection itself is retried for ever
 * with a capped backoff, so the instance recovers when Redis returns. `target` is a redis:// URL,
 * or the options naming a Sentinel group (connection.ts opens every client through here or its
 * cluster counterpart).
 */
export function createFailFastRedis(target: string | SentinelOptions): Redis {
  const options = {
    commandTimeout: COMMAND_TIMEOUT_MS,
    maxRetriesPerRequest: 0,
    // No auto-pipelining. It batches commands issued in the same tick into one write, but each
    // batch is a Pipeline object (which copies every defined script) held until its replies come,
    // and with it about twice as many young objects outlived a scavenge: longer GC pauses, and a
    // p99 at 200 turns/s of 100 ms or more instead of 30-40 ms (measured with npm run bench).
    // Commands still go out without waiting for earlier replies.
    enableAutoPipelining: false,
    // Only the first connection may queue commands (callers that start straight away); once it is
    // up or has failed, a command while disconnected fails at once.
    enableOfflineQueue: true,
    autoResendUnfulfilledCommands: false,
    lazyConnect: false,
    connectTimeout: 5000,
    // Closing a socket whose peer is gone waits this long before destroying it, and holds the process meanwhile.
    disconnectTimeout: 500,
    retryStrategy: reconnectDelay,
  } satisfies RedisOptions;
  const client = typeof target === 'string' ? new FailFastRedis(target, options) : new FailFastRedis({ ...target, ...options });
  const failFast = () => {
    client.options.enableOfflineQueue = false;
  };
  client.once('ready', failFast);
  client.once('close', failFast);
  return client;
}

/** The reconnect backoff of every client: capped, and for ever, so an instance recovers when Redis returns. */
export function reconnectDelay(attempt: number): number {
  return Math.min(100 * 2 ** Math.min(attempt, 5), 2000);
}

/**
 * QUIT lets Redis finish the replies in flight. While disconnected it would only wait in the
 * offline queue, so then disconnect() at once. disconnect() after a successful QUIT would hold
 * the process open for disconnectTimeout, waiting for a 'close' that already happened.
 */
export async function closeClient(client: RedisClient): Promise<void> {
  if (client.status === 'end') return;
  if (client.status !== 'ready') {
    client.disconnect();
    return;
  }
  const quitted = await withTimeout(client.quit(), 1000, 'Redis QUIT').then(
    () => true,
    () => false,
  );
  if (!quitted) client.disconnect();
}
