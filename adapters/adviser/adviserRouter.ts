import { parseCookie } from 'cookie';
import express, { type Request, type Response, type Router } from 'express';
import { z } from 'zod';
import { AdviserActions, CLOSE_OUTCOMES, type Refusal } from '../../bot/handoff/adviserActions';
import { adviserNotesKey, adviserOutcomeKey } from '../../bot/handoff/adviserRecords';
import type { AlertStats, HandoffQueue, InsightsStore, KeyValueStore, Logger, QueueItem, TranscriptStore } from '../../bot/ports';
import type { Content } from '../../knowledge/loadContent';
import { errorMessage } from '../../bot/errorMessage';
import { codeFor, sendError } from '../http/errors';
import { jsonBody } from '../http/jsonBody';
import { clientAddress } from '../http/rateLimit';
import type { InsightsRecorder } from '../../bot/insights/insightsRecorder';
import type { SchoolDirectory } from '../../bot/schools/schoolDirectory';
import type { AdviserAccounts } from './accounts';
import type { SchoolScope } from './adviserSchools';
import { addInsightsRoutes } from './insights/insightsRoutes';
import type { LoginThrottle } from './loginThrottle';
import type { PupilMessenger } from './pupilMessenger';
import { sameToken, type AdviserSession, type AdviserSessions } from './sessions';

export const SESSION_COOKIE = 'adviser_session';

export interface AdviserApiDeps {
  accounts: AdviserAccounts;
  sessions: AdviserSessions;
  throttle: LoginThrottle;
  queue: HandoffQueue;
  transcripts: TranscriptStore;
  keyValue: KeyValueStore;
  messenger: PupilMessenger;
  content: Content;
  retentionDays: number;
  idleMs: number;
  now: () => Date;
  logger: Logger;
  schools: SchoolDirectory;
  insights: InsightsRecorder;
  insightsStore: InsightsStore;
  /** how each conversation's safeguarding alerts have gone; absent when alerts are off */
  alertStats?: (conversationIds: readonly string[]) => Promise<Map<string, AlertStats>>;
}

/** A queue item as the console gets it: CONTRACT.md's QueueItem plus how long it has waited and, for an urgent one, its alerts. */
export type ConsoleQueueItem = QueueItem & { waitedSeconds: number; alerts?: AlertStats };

const NO_ALERTS: AlertStats = { sent: 0, delivered: 0, pending: 0 };

const Login = z.object({ username: z.string().min(1).max(100), password: z.string().min(1).max(200) });
const Text = z.object({ text: z.string().trim().min(1, 'text is empty').max(2000, 'text is over 2000 characters') });
const Close = z.object({ outcome: z.enum(CLOSE_OUTCOMES).default('resolved'), note: z.string().trim().max(2000).optional() });
const conversationIdPattern = /^[A-Za-z0-9_:.|@=-]{1,200}$/;

function cookieOf(req: Request, name: string): string | undefined {
  return parseCookie(req.get('cookie') ?? '')[name];
}

/**
 * The adviser API (CONTRACT.md): login with a session cookie, then the queue, a conversation
 * with its transcript, claim, messages to the pupil, private notes and close. Every route but
 * login needs the session; every state change also needs the CSRF token.
 */
export function createAdviserRouter(deps: AdviserApiDeps): Router {
  const router = express.Router();
  const json = jsonBody('16kb');
  const actions = new AdviserActions({
    queue: deps.queue,
    keyValue: deps.keyValue,
    pupils: deps.messenger,
    content: deps.content,
    insights: deps.insights,
    schools: deps.schools,
    retentionDays: deps.retentionDays,
    now: deps.now,
    logger: deps.logger,
  });

  router.use((_req, res, next) => {
    res.set('Cache-Control', 'no-store');
    next();
  });

  const setCookie = (req: Request, res: Response, id: string, maxAgeMs: number) => {
    res.cookie(SESSION_COOKIE, id, { httpOnly: true, sameSite: 'strict', secure: req.secure, path: '/', maxAge: maxAgeMs });
  };

  /** The session, or a 401 sent; for state changes also the CSRF check (403). */
  const authorise = async (req: Request, res: Response, changesState: boolean): Promise<AdviserSession | undefined> => {
    const session = await deps.sessions.get(cookieOf(req, SESSION_COOKIE));
    if (!session) return void sendError(res, 401, codeFor(401), 'log in first');
    if (changesState && !sameToken(req.get('x-csrf-token'), session.csrfToken)) return void sendError(res, 403, codeFor(403), 'missing or wrong X-CSRF-Token');
    return session;
  };

  const conversationParam = (req: Request, res: Response): string | undefined => {
    const id = String(req.params.id ?? '');
    if (!conversationIdPattern.test(id)) return void sendError(res, 404, codeFor(404), 'conversation not found');
    return id;
  };

  /** False (and 403 sent) when the conversation belongs to a school this adviser does not work for. */
  const mayOpen = async (scope: SchoolScope, id: string, res: Response): Promise<boolean> => {
    const found = await actions.schoolOf(id);
    if (!found || scope.allows(found.school)) return true;
    sendError(res, 403, codeFor(403), 'that conversation belongs to a school you do not work for');
    return false;
  };

  /** The session (with the CSRF check), the conversation id from the path and the school check, or the refusal sent. */
  const changeTo = async (req: Request, res: Response): Promise<{ session: AdviserSession; id: string } | undefined> => {
    const session = await authorise(req, res, true);
    const id = session && conversationParam(req, res);
    if (!session || !id) return undefined;
    if (!(await mayOpen(await deps.accounts.schoolsOf(session.username), id, res))) return undefined;
    return { session, id };
  };

  /**
   * The wait by the bot's clock (the console's own clock may not be set to BOT_CLOCK's date), and
   * for urgent items the alerts' figures; when those cannot be read the items go without them.
   */
  const forConsole = async (items: QueueItem[]): Promise<ConsoleQueueItem[]> => {
    const now = deps.now().getTime();
    const urgent = items.filter((item) => item.priority === 'urgent').map((item) => item.conversationId);
    const stats =
      deps.alertStats && urgent.length > 0
        ? await deps.alertStats(urgent).catch((error: unknown) => {
            deps.logger.warn('alert figures unavailable for the queue', { error: errorMessage(error) });
            return undefined;
          })
        : undefined;
    return items.map((item) => {
      const alerts = stats && item.priority === 'urgent' ? (stats.get(item.conversationId) ?? NO_ALERTS) : undefined;
      return { ...item, waitedSeconds: Math.max(0, Math.floor((now - Date.parse(item.waitingSince)) / 1000)), ...(alerts ? { alerts } : {}) };
    });
  };

  /** An action refused: 404 when the conversation is not in the queue, 409 when this adviser does not hold it. */
  const sendRefusal = (res: Response, refusal: Refusal, claimMessage = false) => {
    if (refusal.refused === 'not-in-queue') return sendError(res, 404, codeFor(404), 'not in the queue');
    const { claimedBy } = refusal;
    const message = claimMessage ? `already claimed by ${claimedBy}` : claimedBy ? `claimed by ${claimedBy}` : 'claim it first';
    res.status(409).json({ error: { code: 'Conflict', message }, claimedBy });
  };

  router.post('/login', json, async (req, res) => {
    const parsed = Login.safeParse(req.body);
    if (!parsed.success) return sendError(res, 400, codeFor(400), 'send {"username","password"}');
    const username = parsed.data.username.trim().toLowerCase();
    const address = clientAddress(req);
    const check = await deps.throttle.check(username, address);
    if (!check.allowed) {
      res.set('Retry-After', String(check.retryAfterSeconds));
      return sendError(res, 429, codeFor(429), 'too many failed logins; try again later');
    }
    if (!(await deps.accounts.verify(username, parsed.data.password))) {
      await deps.throttle.fail(username, address);
      deps.logger.warn('adviser login failed', { username });
      return sendError(res, 401, codeFor(401), 'wrong username or password');
    }
    await deps.throttle.succeed(username);
    await deps.sessions.destroy(cookieOf(req, SESSION_COOKIE));
    const { id, session } = await deps.sessions.create(username);
    setCookie(req, res, id, deps.idleMs);
    deps.logger.info('adviser logged in', { username });
    res.status(200).json({ csrfToken: session.csrfToken, username });
  });

  router.get('/session', async (req, res) => {
    const session = await authorise(req, res, false);
    if (!session) return;
    const scope = await deps.accounts.schoolsOf(session.username);
    const schools = deps.schools.all().filter((school) => scope.allows(school.id)).map((school) => ({ id: school.id, name: school.name }));
    res.status(200).json({ username: session.username, csrfToken: session.csrfToken, schools });
  });

  router.post('/logout', json, async (req, res) => {
    if (!(await authorise(req, res, true))) return;
    await deps.sessions.destroy(cookieOf(req, SESSION_COOKIE));
    res.clearCookie(SESSION_COOKIE, { path: '/' });
    res.status(204).end();
  });

  router.get('/queue', async (req, res) => {
    const session = await authorise(req, res, false);
    if (!session) return;
    const [scope, items] = await Promise.all([deps.accounts.schoolsOf(session.username), deps.queue.list()]);
    res.status(200).json({ items: await forConsole(items.filter((item) => scope.allows(item.school))) });
  });

  router.get('/conversations/:id', async (req, res) => {
    const session = await authorise(req, res, false);
    if (!session) return;
    const id = conversationParam(req, res);
    if (!id) return;
    if (!(await mayOpen(await deps.accounts.schoolsOf(session.username), id, res))) return;
    const [item, transcript, notes, closed] = await Promise.all([
      deps.queue.get(id),
      deps.transcripts.read(id),
      deps.keyValue.list(adviserNotesKey(id)),
      deps.keyValue.get(adviserOutcomeKey(id)),
    ]);
    if (!item && !closed) return sendError(res, 404, codeFor(404), 'no hand-off for that conversation');
    const closedRecord = closed ? z.object({ priority: z.string(), flags: z.array(z.string()), channel: z.string(), summary: z.string(), waitingSince: z.string() }).passthrough().parse(JSON.parse(closed)) : undefined;
    res.status(200).json({
      ...(item ?? closedRecord),
      conversationId: id,
      status: item?.status ?? 'closed',
      transcript,
      notes: notes.map((note) => JSON.parse(note)),
    });
  });

  router.post('/conversations/:id/claim', json, async (req, res) => {
    const target = await changeTo(req, res);
    if (!target) return;
    const claimed = await actions.claim(target.id, target.session.username);
    if (!claimed.done) return sendRefusal(res, claimed, true);
    res.status(200).json({ item: claimed.item });
  });

  router.post('/conversations/:id/messages', json, async (req, res) => {
    const target = await changeTo(req, res);
    if (!target) return;
    const { session, id } = target;
    const body = Text.safeParse(req.body);
    if (!body.success) return sendError(res, 400, codeFor(400), body.error.issues[0].message);
    const sent = await actions.message(id, session.username, body.data.text);
    if (!sent.done) return sendRefusal(res, sent);
    res.status(200).json({ delivered: true });
  });

  router.post('/conversations/:id/notes', json, async (req, res) => {
    const target = await changeTo(req, res);
    if (!target) return;
    const { session, id } = target;
    const body = Text.safeParse(req.body);
    if (!body.success) return sendError(res, 400, codeFor(400), body.error.issues[0].message);
    const noted = await actions.note(id, session.username, body.data.text);
    if (!noted.done) return sendRefusal(res, noted);
    res.status(200).json({ saved: true });
  });

  router.post('/conversations/:id/close', json, async (req, res) => {
    const target = await changeTo(req, res);
    if (!target) return;
    const { session, id } = target;
    const body = Close.safeParse(req.body ?? {});
    if (!body.success) return sendError(res, 400, codeFor(400), 'outcome must be resolved, referred-on or no-reply');
    const closed = await actions.close(id, session.username, body.data.outcome, body.data.note);
    if (!closed.done) return sendRefusal(res, closed);
    res.status(200).json({ closed: true, outcome: body.data.outcome });
  });

  addInsightsRoutes(router, {
    insights: deps.insightsStore,
    schools: deps.schools,
    topics: deps.content.topics,
    now: deps.now,
    scopeOf: async (req, res) => {
      const session = await authorise(req, res, false);
      return session ? deps.accounts.schoolsOf(session.username) : undefined;
    },
  });

  router.use((req, res) => sendError(res, 404, codeFor(404), `no adviser endpoint ${req.method} ${req.path}`));
  return router;
}
