import { Redis } from 'ioredis';
import { withTimeout } from './redisErrors';

export interface WarnLogger {
  warn(message: string, fields?: Record<string, unknown>): void;
}

const WARN_INTERVAL_MS = 10_000;

/** Where the client connects, for logs: host and port only, never the credentials in the URL. */
function target(url: string): { host: string; secrets: string[] } {
  try {
    const parsed = new URL(url);
    const secrets = [parsed.password, decodeURIComponent(parsed.password), url].filter((value) => value.length > 0);
    return { host: `${parsed.hostname}:${parsed.port || '6379'}`, secrets };
  } catch {
    return { host: 'unparsable REDIS_URL', secrets: [url] };
  }
}

function redact(text: string, secrets: string[]): string {
  return secrets.reduce((redacted, secret) => redacted.split(secret).join('***'), text);
}

/**
 * ioredis emits 'error' on every failed reconnect; without a listener Node would crash the process.
 * One warning per interval is enough for operators, with a count of what was left out.
 */
export function reportErrors(client: Redis, url: string, role: string, logger?: WarnLogger): void {
  const { host, secrets } = target(url);
  let lastWarning = 0;
  let suppressed = 0;
  client.on('error', (error: unknown) => {
    const now = Date.now();
    if (now - lastWarning < WARN_INTERVAL_MS) {
      suppressed += 1;
      return;
    }
    lastWarning = now;
    const message = error instanceof Error ? error.message : String(error);
    logger?.warn('redis connection problem', { role, redis: host, error: redact(message, secrets), suppressed });
    suppressed = 0;
  });
}

/**
 * Commands fail within two seconds rather than hang a turn or a health check; the connection
 * itself is retried for ever with a capped backoff, so the instance recovers when Redis returns.
 */
export function createRedisClient(url: string, logger?: WarnLogger): Redis {
  const client = new Redis(url, {
    commandTimeout: 2000,
    maxRetriesPerRequest: 1,
    enableOfflineQueue: true,
    lazyConnect: false,
    connectTimeout: 5000,
    // Closing a socket whose peer is gone waits this long before destroying it, and holds the process meanwhile.
    disconnectTimeout: 500,
    retryStrategy: (attempt: number) => Math.min(100 * 2 ** Math.min(attempt, 5), 2000),
  });
  reportErrors(client, url, 'commands', logger);
  return client;
}

/**
 * QUIT lets Redis finish the replies in flight. While disconnected it would only wait in the
 * offline queue, so then disconnect() at once. disconnect() after a successful QUIT would hold
 * the process open for disconnectTimeout, waiting for a 'close' that already happened.
 */
export async function closeClient(client: Redis): Promise<void> {
  if (client.status === 'end') return;
  if (client.status !== 'ready') {
    client.disconnect();
    return;
  }
  const quitted = await withTimeout(client.quit(), 1000, 'Redis QUIT').then(() => true, () => false);
  if (!quitted) client.disconnect();
}
