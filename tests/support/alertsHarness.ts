import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { createSafeguardingAlerts, type AlertsRuntime, type AlertsRuntimeOptions } from '../../adapters/alerts/safeguardingAlertsRuntime';
import { loadConfig } from '../../adapters/config/config';
import { silentLogger } from '../../adapters/logging/logger';
import { createRedisStores } from '../../adapters/redis/redisStores';
import { SchoolDirectory } from '../../bot/schools/schoolDirectory';
import type { Clock, HandoffRequest, Stores } from '../../bot/ports';
import { loadCalendar } from '../../knowledge/loadCalendar';
import { loadSchools } from '../../knowledge/loadSchools';
import type { ReceivedCall } from './webhookReceiver';

export const SECRET = 'a-shared-secret-for-alert-tests';
export const hex = (bytes: number) => randomBytes(bytes).toString('hex');

/** A clock a test moves by hand. */
export class ManualClock implements Clock {
  constructor(private current: Date) {}
  now(): Date {
    return new Date(this.current);
  }
  advance(ms: number): void {
    this.current = new Date(this.current.getTime() + ms);
  }
}

/** What a receiver does with X-Careers-Signature: the HMAC-SHA256 of the raw body, compared in constant time. */
export function signatureVerifies(call: ReceivedCall, secret = SECRET): boolean {
  const header = call.headers['x-careers-signature'];
  if (typeof header !== 'string' || !header.startsWith('sha256=')) return false;
  const expected = Buffer.from(createHmac('sha256', secret).update(call.raw, 'utf8').digest('hex'), 'hex');
  const given = Buffer.from(header.slice('sha256='.length), 'hex');
  return given.length === expected.length && timingSafeEqual(given, expected);
}

export function urgentRequest(at: Date, overrides: Partial<HandoffRequest> = {}): HandoffRequest {
  return {
    conversationId: `conv-${hex(5)}`,
    flags: ['crisis'],
    priority: 'urgent',
    channel: 'directline',
    summary: 'Topic: not chosen yet. Flags: crisis.',
    at,
    school: 'default',
    ...overrides,
  };
}

export interface AlertsInstance {
  stores: Stores;
  alerts: AlertsRuntime;
  close(): Promise<void>;
}

/**
 * One instance's alerts on a real Redis, as createRuntime wires them, with fast timings: its own
 * connection, so two of these are two instances.
 */
export function alertsInstance(redisUrl: string, keyPrefix: string, env: Record<string, string>, clock: Clock, options: AlertsRuntimeOptions = {}): AlertsInstance {
  const config = loadConfig({ SAFEGUARDING_WEBHOOK_SECRET: SECRET, PUBLIC_HOSTNAME: 'careers.example.sch.uk', ...env });
  const schools = new SchoolDirectory(loadSchools(config.SCHOOLS_FILE, loadCalendar()));
  const stores = createRedisStores({ url: redisUrl, keyPrefix, retentionDays: 30 });
  const alerts = createSafeguardingAlerts(
    config,
    { stores, queue: stores.queue, schools, clock, logger: silentLogger },
    { pollMs: 50, firstRetryMs: 100, maxRetryMs: 400, leaseMs: 3000, timeoutMs: 2000, ...options },
  );
  if (!alerts) throw new Error('alertsInstance: no receiver configured');
  return {
    stores,
    alerts,
    close: async () => {
      await alerts.close();
      await stores.close();
    },
  };
}

/** Resolves once `check` holds (asked every 25 ms); rejects after `timeoutMs` naming `what`. */
export async function until(check: () => boolean | Promise<boolean>, what: string, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`until(): ${what} did not happen in ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}
