import type { AlertOutbox, Clock, Logger, OutboxEntry, SafeguardingAlert } from '../../bot/ports';
import type { AlertReceiver } from '../../knowledge/schoolsSchema';
import { errorMessage } from '../../bot/errorMessage';
import { renderAlert, SIGNATURE_HEADER, signatureOf } from './alertFormats';

export interface AlertDeliveryDeps {
  outbox: AlertOutbox;
  /** where a school's alerts go, if anywhere */
  receiverFor(schoolId: string): AlertReceiver | undefined;
  schoolName(schoolId: string): string;
  /** SAFEGUARDING_WEBHOOK_SECRET: signs every body when set */
  secret?: string;
  clock: Clock;
  logger: Logger;
  /** false once an alert is not worth sending any more (an escalation of a conversation claimed since) */
  stillWanted(alert: SafeguardingAlert): Promise<boolean>;
}

export interface AlertDeliveryOptions {
  /** how often the outbox is looked at for due alerts (an alert raised here is sent at once anyway) */
  pollMs?: number;
  /** how long an instance holds an alert it is sending: longer than a POST may take */
  leaseMs?: number;
  /** a POST that has not answered by then has failed */
  timeoutMs?: number;
  /** the wait after the first failure, doubling each time up to maxRetryMs */
  firstRetryMs?: number;
  maxRetryMs?: number;
  /** alerts sent at once by one instance */
  batch?: number;
  /** milliseconds of real time (leases and retries do not follow BOT_CLOCK) */
  realNow?: () => number;
}

const DEFAULTS = { pollMs: 1000, leaseMs: 30_000, timeoutMs: 10_000, firstRetryMs: 2000, maxRetryMs: 60_000, batch: 20 };

/** What went wrong with a POST, for the outbox and the logs: a status or an error code, never the URL (a Teams Workflows URL carries its key). */
function failureOf(error: unknown): string {
  if (error instanceof Error && (error.name === 'TimeoutError' || error.name === 'AbortError')) return 'timed out';
  const cause: unknown = error instanceof Error ? error.cause : undefined;
  const code = cause && typeof cause === 'object' && 'code' in cause ? String(cause.code) : undefined;
  return code ?? (error instanceof Error ? error.name : 'failed');
}

function hostOf(url: string): string {
  return URL.canParse(url) ? new URL(url).host : 'unparsable URL';
}

/**
 * Sends the outbox's due alerts: a signed POST each, retried with back-off until a 2xx. Each pass
 * leases what it sends, so instances sharing the outbox never hold the same alert at once; one
 * that dies mid-send leaves its lease to run out, and the alert goes again (at least once:
 * receivers de-duplicate on alertId). Nothing here runs in a pupil's turn.
 */
export class AlertDelivery {
  private readonly options: typeof DEFAULTS & { realNow: () => number };
  private timer?: NodeJS.Timeout;
  private running?: Promise<void>;
  private again = false;
  private closed = false;

  constructor(
    private readonly deps: AlertDeliveryDeps,
    options: AlertDeliveryOptions = {},
  ) {
    this.options = { ...DEFAULTS, realNow: Date.now, ...options };
  }

  start(): void {
    if (this.timer || this.closed) return;
    this.timer = setInterval(() => this.kick(), this.options.pollMs);
    // Housekeeping: it must not keep a finished process (or a test run) alive.
    this.timer.unref();
    this.kick();
  }

  /** A pass soon: now, or straight after the one running. */
  kick(): void {
    if (this.closed) return;
    if (this.running) {
      this.again = true;
      return;
    }
    this.running = this.runOnce()
      .then(
        () => undefined,
        (error: unknown) => this.deps.logger.warn('safeguarding alerts: the outbox did not answer; trying again', { error: errorMessage(error) }),
      )
      .finally(() => {
        this.running = undefined;
        if (this.again) {
          this.again = false;
          this.kick();
        }
      });
  }

  /** One pass: leases the due alerts and sends them; resolves how many were delivered. */
  async runOnce(): Promise<number> {
    const now = this.options.realNow();
    const due = await this.deps.outbox.claimDue(now, now + this.options.leaseMs, this.options.batch);
    if (due.length === this.options.batch) this.again = true;
    const results = await Promise.all(due.map((entry) => this.deliver(entry)));
    return results.filter(Boolean).length;
  }

  /**
   * Stops passes and waits (at most `ms`, well inside the server's shutdown allowance) for the one
   * running: what it still holds stays leased, then is due again for another instance.
   */
  async close(ms = 2000): Promise<void> {
    this.closed = true;
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<void>((resolve) => (timer = setTimeout(resolve, ms)));
    await Promise.race([this.running ?? Promise.resolve(), late]).finally(() => clearTimeout(timer));
  }

  private async deliver(entry: OutboxEntry): Promise<boolean> {
    const { alert } = entry;
    const { outbox, logger } = this.deps;
    const fields = { alertId: alert.alertId, type: alert.type, conversationId: alert.conversationId, school: alert.school };
    try {
      if (!(await this.deps.stillWanted(alert))) {
        await outbox.drop(alert);
        logger.info('safeguarding escalation not sent: the conversation has been claimed or has left the queue', fields);
        return false;
      }
      const receiver = this.deps.receiverFor(alert.school);
      if (!receiver) {
        await outbox.drop(alert);
        logger.error('safeguarding alert not sent: its school has no receiver any more (SAFEGUARDING_WEBHOOK_URL or SCHOOLS_FILE)', fields);
        return false;
      }
      const failure = await this.post(alert, receiver);
      const attempts = entry.attempts + 1;
      if (!failure) {
        await outbox.delivered(alert, this.deps.clock.now().toISOString());
        logger.info('safeguarding alert delivered', { ...fields, attempts, receiver: hostOf(receiver.url), format: receiver.format });
        return true;
      }
      const waitMs = this.backoff(attempts);
      await outbox.retryAt(alert, this.options.realNow() + waitMs, failure);
      // The first failures may be a blip; from the third on somebody should look at the receiver.
      logger[attempts >= 3 ? 'error' : 'warn']('safeguarding alert not delivered; will retry', {
        ...fields,
        attempts,
        failure,
        retryInSeconds: Math.round(waitMs / 1000),
        receiver: hostOf(receiver.url),
      });
      return false;
    } catch (error) {
      // The outbox did not answer: the lease runs out and the alert is due again.
      logger.warn('safeguarding alert: the outbox did not answer; it will be tried again', { ...fields, error: errorMessage(error) });
      return false;
    }
  }

  /** undefined on a 2xx, else what went wrong. Redirects are not followed: an alert goes where it was configured to, or fails. */
  private async post(alert: SafeguardingAlert, receiver: AlertReceiver): Promise<string | undefined> {
    const body = renderAlert(alert, receiver.format, this.deps.schoolName(alert.school));
    const headers: Record<string, string> = { 'Content-Type': 'application/json', 'User-Agent': 'careers-bot-safeguarding-alerts', 'X-Careers-Alert-Id': alert.alertId };
    if (this.deps.secret) headers[SIGNATURE_HEADER] = signatureOf(body, this.deps.secret);
    try {
      const response = await fetch(receiver.url, { method: 'POST', headers, body, redirect: 'manual', signal: AbortSignal.timeout(this.options.timeoutMs) });
      await response.arrayBuffer().catch(() => undefined);
      return response.status >= 200 && response.status < 300 ? undefined : `HTTP ${response.status}`;
    } catch (error) {
      return failureOf(error);
    }
  }

  private backoff(attempts: number): number {
    const base = Math.min(this.options.maxRetryMs, this.options.firstRetryMs * 2 ** Math.min(attempts - 1, 20));
    // Spread, so many instances' or alerts' retries do not arrive together.
    return Math.round(base * (0.8 + 0.4 * Math.random()));
  }
}
