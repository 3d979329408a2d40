import type { Response } from 'express';
import { errorMessage } from '../../bot/errorMessage';
import type { AdviserNote } from '../../bot/handoff/adviserActions';
import type { PresenceBoard } from '../../bot/handoff/presenceBoard';
import type { HandoffQueue, Logger, TranscriptStore } from '../../bot/ports';
import type { AdviserAccounts } from './accounts';
import type { SchoolScope } from './adviserSchools';
import { consoleItems, everyonesPresence, presenceFor, type AlertStatsOf } from './queueView';
import type { ConsoleEventData as EventData, ConsoleQueueItem } from './shared/consoleApi';
import type { AdviserSessions } from './sessions';

export interface ConsoleEventsDeps {
  queue: HandoffQueue;
  transcripts: TranscriptStore;
  notes(conversationId: string): Promise<AdviserNote[]>;
  presence: PresenceBoard;
  accounts: AdviserAccounts;
  sessions: AdviserSessions;
  alertStats?: AlertStatsOf;
  now: () => Date;
  logger: Logger;
  /** how often the stores are looked at while a console is connected */
  tickMs?: number;
}

interface Client {
  res: Response;
  username: string;
  scope: SchoolScope;
  sessionId: string;
  conversationId?: string;
  /** what was last sent of each kind, so only changes go out */
  sent: Partial<Record<keyof EventData, string>>;
  sessionCheckedAt: number;
  wroteAt: number;
}

const SESSION_CHECK_MS = 5_000;
const KEEP_ALIVE_MS = 20_000;
const WARN_EVERY_MS = 60_000;

/** What decides whether an item has changed for the console: everything but the wait, which the console counts itself. */
const itemKey = ({ waitedSeconds: _waited, ...item }: ConsoleQueueItem): string => JSON.stringify(item);

/**
 * The console's server-sent events (GET /api/adviser/events): the queue, who is online, and the
 * open conversation, each sent when it changes. One look at the shared stores a second per
 * instance however many consoles are connected to it (and at once after a change made through
 * it), instead of every console polling; any instance sees every other's changes because the
 * stores are shared. A console that cannot keep a stream open polls the API instead.
 */
export class ConsoleEvents {
  private readonly clients = new Set<Client>();
  private timer?: NodeJS.Timeout;
  private running = false;
  private again = false;
  private warnedAt = 0;

  constructor(private readonly deps: ConsoleEventsDeps) {}

  open(res: Response, client: { username: string; scope: SchoolScope; sessionId: string; conversationId?: string }): void {
    res.status(200).set({ 'Content-Type': 'text/event-stream; charset=utf-8', 'Cache-Control': 'no-store', Connection: 'keep-alive', 'X-Accel-Buffering': 'no' });
    res.flushHeaders();
    res.write('retry: 3000\n\n');
    const entry: Client = { ...client, res, sent: {}, sessionCheckedAt: Date.now(), wroteAt: Date.now() };
    this.clients.add(entry);
    res.on('close', () => {
      this.clients.delete(entry);
      if (this.clients.size === 0) this.stop();
    });
    if (!this.timer) {
      this.timer = setInterval(() => this.nudge(), this.deps.tickMs ?? 1000);
      this.timer.unref();
    }
    this.nudge();
  }

  /** Looks now (after a change made through this instance), or as soon as the look under way ends. */
  nudge(): void {
    if (this.running) {
      this.again = true;
      return;
    }
    this.running = true;
    void this.tick()
      .catch((error: unknown) => {
        if (Date.now() - this.warnedAt < WARN_EVERY_MS) return;
        this.warnedAt = Date.now();
        this.deps.logger.warn('console events: the stores did not answer', { error: errorMessage(error) });
      })
      .finally(() => {
        this.running = false;
        if (this.again) {
          this.again = false;
          this.nudge();
        }
      });
  }

  /** Ends every stream (shutdown). */
  close(): void {
    this.stop();
    for (const client of this.clients) client.res.end();
    this.clients.clear();
  }

  private stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
  }

  private async tick(): Promise<void> {
    if (this.clients.size === 0) return;
    const clients = [...this.clients];
    await Promise.all(clients.filter((client) => Date.now() - client.sessionCheckedAt > SESSION_CHECK_MS).map((client) => this.checkSession(client)));
    const [items, everyone, conversations] = await Promise.all([
      this.deps.queue.list().then((list) => consoleItems(list, this.deps.now(), this.deps.alertStats, this.deps.logger)),
      everyonesPresence(this.deps.presence, this.deps.accounts),
      this.conversationKeys(clients),
    ]);
    for (const client of this.clients) {
      const mine = items.filter((item) => client.scope.allows(item.school));
      this.send(client, 'queue', { items: mine }, JSON.stringify(mine.map(itemKey)));
      const advisers = presenceFor(client.scope, everyone);
      this.send(client, 'presence', { advisers }, JSON.stringify(advisers));
      const changed = client.conversationId ? conversations.get(client.conversationId) : undefined;
      if (client.conversationId && changed) this.send(client, 'conversation', { conversationId: client.conversationId }, changed);
      if (Date.now() - client.wroteAt > KEEP_ALIVE_MS) this.write(client, ': keep-alive\n\n');
    }
  }

  /** For each conversation a console has open: what changes when someone speaks, notes, claims or closes. */
  private async conversationKeys(clients: readonly Client[]): Promise<Map<string, string>> {
    const ids = [...new Set(clients.flatMap((client) => (client.conversationId ? [client.conversationId] : [])))];
    const keys = await Promise.all(
      ids.map(async (id) => {
        const [transcript, notes, item] = await Promise.all([this.deps.transcripts.read(id), this.deps.notes(id), this.deps.queue.get(id)]);
        return [id, JSON.stringify([transcript.length, notes.length, item?.status ?? 'closed', item?.claimedBy ?? '', item?.priority ?? '', item?.flags ?? []])] as const;
      }),
    );
    return new Map(keys);
  }

  private async checkSession(client: Client): Promise<void> {
    client.sessionCheckedAt = Date.now();
    if (await this.deps.sessions.get(client.sessionId)) return;
    this.write(client, 'event: signed-out\ndata: {}\n\n');
    client.res.end();
    this.clients.delete(client);
  }

  private send<K extends keyof EventData>(client: Client, event: K, data: EventData[K], key: string): void {
    if (client.sent[event] === key) return;
    client.sent[event] = key;
    this.write(client, `event: ${event}\ndata: ${JSON.stringify(data)}\n\n`);
  }

  private write(client: Client, text: string): void {
    client.wroteAt = Date.now();
    client.res.write(text);
  }
}
