import { AlertingHandoffQueue } from '../../bot/alerts/alertingQueue';
import { SafeguardingAlerts } from '../../bot/alerts/safeguardingAlerts';
import type { AlertOutbox, AlertStats, Clock, HandoffQueue, Logger, Stores } from '../../bot/ports';
import type { School, SchoolDirectory } from '../../bot/schools/schoolDirectory';
import type { AlertReceiver } from '../../knowledge/schoolsSchema';
import { errorMessage } from '../../bot/errorMessage';
import { ConfigError, type Config } from '../config/config';
import { AlertDelivery, type AlertDeliveryOptions } from './alertDelivery';
import { ResilientOutbox } from './resilientOutbox';
import { MemoryAlertOutbox } from '../memory/memoryAlertOutbox';

export type AlertsConfig = Pick<Config, 'SAFEGUARDING_WEBHOOK_URL' | 'SAFEGUARDING_WEBHOOK_SECRET' | 'SAFEGUARDING_ESCALATE_AFTER_MINUTES' | 'PUBLIC_HOSTNAME' | 'PORT' | 'RETENTION_DAYS'>;

export interface AlertsRuntimeOptions extends AlertDeliveryOptions {
  /** how often this process looks for urgent conversations due an escalation; default a tenth of the period, 1 to 15 s */
  sweepMs?: number;
  /** replaces SAFEGUARDING_ESCALATE_AFTER_MINUTES (tests) */
  escalateAfterMs?: number;
}

export interface AlertsRuntime {
  /** the hand-off queue given, making an alert for every urgent request */
  queue: HandoffQueue;
  alerts: SafeguardingAlerts;
  outbox: AlertOutbox;
  delivery: AlertDelivery;
  /** the figures the adviser console shows for these conversations */
  stats(conversationIds: readonly string[]): Promise<Map<string, AlertStats>>;
  /** one escalation sweep of the queue now; resolves how many escalations it added */
  sweep(): Promise<number>;
  /** starts delivery and the escalation sweeps */
  start(): void;
  close(): Promise<void>;
}

/** Where the adviser console opens a conversation: the fragment never reaches a server log. */
export function consoleUrlFor(config: Pick<Config, 'PUBLIC_HOSTNAME' | 'PORT'>, conversationId: string): string {
  const base = config.PUBLIC_HOSTNAME ? `https://${config.PUBLIC_HOSTNAME}` : `http://localhost:${config.PORT}`;
  return `${base}/adviser#conversation=${encodeURIComponent(conversationId)}`;
}

interface Receivers {
  receiverFor(schoolId: string): AlertReceiver | undefined;
  /** the schools with a receiver of their own in SCHOOLS_FILE */
  own: School[];
  global?: AlertReceiver;
}

/**
 * Where each school's alerts go (its own receiver, else SAFEGUARDING_WEBHOOK_URL as json), or
 * undefined when alerts go nowhere. Throws a ConfigError, to stop start-up, when a school's own
 * json receiver would get unsigned alerts.
 */
export function alertReceivers(config: Pick<Config, 'SAFEGUARDING_WEBHOOK_URL' | 'SAFEGUARDING_WEBHOOK_SECRET'>, schools: SchoolDirectory): Receivers | undefined {
  const global: AlertReceiver | undefined = config.SAFEGUARDING_WEBHOOK_URL ? { url: config.SAFEGUARDING_WEBHOOK_URL, format: 'json' } : undefined;
  const own = schools.all().filter((school) => school.alertReceiver);
  if (!global && own.length === 0) return undefined;
  const unsigned = own.find((school) => school.alertReceiver?.format === 'json');
  if (unsigned && !config.SAFEGUARDING_WEBHOOK_SECRET) {
    throw new ConfigError(`Invalid configuration: SAFEGUARDING_WEBHOOK_SECRET is required: school ${unsigned.id} in SCHOOLS_FILE sends json alerts, which are signed with it`);
  }
  return { receiverFor: (schoolId) => schools.get(schoolId)?.alertReceiver ?? global, own, ...(global ? { global } : {}) };
}

/**
 * Safeguarding alerts (CONTRACT.md): on when SAFEGUARDING_WEBHOOK_URL is set or a school in
 * SCHOOLS_FILE has its own receiver; undefined otherwise. The alerts are made through the queue
 * (every urgent request), kept in the stores' outbox (on Redis, with this process's memory behind
 * it), delivered by every instance, and escalated by a sweep in every instance.
 */
export function createSafeguardingAlerts(
  config: AlertsConfig,
  deps: { stores: Stores; queue: HandoffQueue; schools: SchoolDirectory; clock: Clock; logger: Logger },
  options: AlertsRuntimeOptions = {},
): AlertsRuntime | undefined {
  const { stores, schools, clock, logger } = deps;
  const receivers = alertReceivers(config, schools);
  if (!receivers) return undefined;
  const { receiverFor, own, global } = receivers;

  const ttlMs = config.RETENTION_DAYS * 86_400_000;
  const outbox = stores.kind === 'redis' ? new ResilientOutbox(stores.alerts, ttlMs, logger, options.realNow) : stores.alerts;
  const escalateAfterMs = options.escalateAfterMs ?? config.SAFEGUARDING_ESCALATE_AFTER_MINUTES * 60_000;
  const sweepMs = options.sweepMs ?? Math.min(15_000, Math.max(1000, Math.round(escalateAfterMs / 10)));
  const delivery = new AlertDelivery(
    {
      outbox,
      receiverFor,
      schoolName: (schoolId) => schools.get(schoolId)?.name ?? schoolId,
      secret: config.SAFEGUARDING_WEBHOOK_SECRET,
      clock,
      logger,
      stillWanted: (alert) => alerts.stillWanted(alert, deps.queue),
    },
    options,
  );
  const alerts = new SafeguardingAlerts(outbox, schools, clock, logger, {
    escalateAfterMs,
    consoleUrl: (conversationId) => consoleUrlFor(config, conversationId),
    hasReceiver: (schoolId) => receiverFor(schoolId) !== undefined,
    realNow: options.realNow,
    onAdded: () => delivery.kick(),
  });

  const silent = schools.all().filter((school) => !receiverFor(school.id));
  if (silent.length > 0) logger.warn('safeguarding alerts: these schools have no receiver, so their urgent conversations alert nobody', { schools: silent.map((school) => school.id) });
  if (!config.PUBLIC_HOSTNAME) logger.warn('safeguarding alerts link to the console at localhost: set PUBLIC_HOSTNAME to the host advisers reach', { consoleUrl: consoleUrlFor(config, '') });

  let sweeper: NodeJS.Timeout | undefined;
  let sweepFailing = false;
  const sweep = async (): Promise<number> => {
    const added = await alerts.escalate(await deps.queue.list());
    if (sweepFailing) logger.info('safeguarding escalations: the queue answers again');
    sweepFailing = false;
    return added;
  };
  const runtime: AlertsRuntime = {
    queue: new AlertingHandoffQueue(deps.queue, alerts),
    alerts,
    outbox,
    delivery,
    stats: (conversationIds) => outbox.stats(conversationIds),
    sweep,
    start: () => {
      logger.info('safeguarding alerts on', {
        schoolsWithOwnReceiver: own.map((school) => school.id),
        defaultReceiver: global !== undefined,
        escalateAfterMinutes: Math.round(escalateAfterMs / 60_000),
      });
      delivery.start();
      sweeper ??= setInterval(() => {
        sweep().catch((error: unknown) => {
          // Said once per outage: the queue's own callers log the store's trouble too.
          if (!sweepFailing) logger.warn('safeguarding escalations: the queue did not answer; trying again', { error: errorMessage(error) });
          sweepFailing = true;
        });
      }, sweepMs);
      sweeper.unref();
    },
    close: async () => {
      if (sweeper) clearInterval(sweeper);
      await delivery.close();
      const kept = outbox instanceof ResilientOutbox ? outbox.keptCount() : outbox instanceof MemoryAlertOutbox ? outbox.pendingCount() : 0;
      if (kept > 0) logger.error('safeguarding alerts kept in this process were not delivered before shutdown', { kept });
    },
  };
  return runtime;
}
