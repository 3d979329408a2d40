import express, { type Request, type Response, type Router } from 'express';
import { z } from 'zod';
import { AdviserActions, CLOSE_OUTCOMES, type FeedbackQuestions } from '../../bot/handoff/adviserActions';
import type { PresenceBoard } from '../../bot/handoff/presenceBoard';
import type { SavedReplies } from '../../bot/handoff/savedReplies';
import type { HandoffQueue, InsightsStore, KeyValueStore, Logger, TranscriptStore } from '../../bot/ports';
import type { Content } from '../../knowledge/loadContent';
import { AdviserText } from '../../knowledge/adviserText';
import { codeFor, sendError } from '../http/errors';
import { jsonBody } from '../http/jsonBody';
import { clientAddress } from '../http/rateLimit';
import type { InsightsRecorder } from '../../bot/insights/insightsRecorder';
import type { SchoolDirectory } from '../../bot/schools/schoolDirectory';
import type { AdviserAccounts } from './accounts';
import { AdviserGuard, cookieOf, SESSION_COOKIE, sendRefusal } from './adviserGuard';
import { ConsoleEvents } from './consoleEvents';
import { addHandoverRoutes } from './handoverRoutes';
import { addInsightsRoutes } from './insights/insightsRoutes';
import type { LoginThrottle } from './loginThrottle';
import { addPresenceRoutes } from './presenceRoutes';
import type { PupilMessenger } from './pupilMessenger';
import { consoleItems, QueueQuery, queueFilterOf, type AlertStatsOf } from './queueView';
import { addSavedReplyRoutes } from './savedReplyRoutes';
import type { ConversationView, QueueResponse, SessionResponse } from './shared/consoleApi';
import { matchesFilter } from './shared/queueFilter';
import type { AdviserSessions } from './sessions';

export { SESSION_COOKIE };

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
  presence: PresenceBoard;
  /** idle this long, an adviser counts as away (the console's own timer, and the presence record's time-to-live) */
  awayAfterMs: number;
  savedReplies: SavedReplies;
  /** asks the pupil "Did that help?" after a close; absent: nothing is asked */
  feedback?: FeedbackQuestions;
  /** how each conversation's safeguarding alerts have gone; absent when alerts are off */
  alertStats?: AlertStatsOf;
}

export interface AdviserApi {
  router: Router;
  /** the console's event streams, ended at shutdown */
  events: ConsoleEvents;
}

const Login = z.object({ username: z.string().min(1).max(100), password: z.string().min(1).max(200) });
const Text = z.object({ text: AdviserText });
const Close = z.object({ outcome: z.enum(CLOSE_OUTCOMES).default('resolved'), note: AdviserText.optional() });

/**
 * The adviser API (CONTRACT.md): login with a session cookie, then the queue (with its filters
 * and an event stream), a conversation with its transcript, claim, messages to the pupil, private
 * notes, close, transfer and re-open, presence, saved replies and the insights. Every route but
 * login needs the session; every state change also needs the CSRF token. The use cases are in
 * bot/handoff; this file and its route modules only check, parse and answer.
 */
export function createAdviserRouter(deps: AdviserApiDeps): AdviserApi {
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
    feedback: deps.feedback,
  });
  const guard = new AdviserGuard(deps.sessions, deps.accounts, actions);
  const events = new ConsoleEvents({
    queue: deps.queue,
    transcripts: deps.transcripts,
    notes: (id) => actions.notes(id),
    presence: deps.presence,
    accounts: deps.accounts,
    sessions: deps.sessions,
    alertStats: deps.alertStats,
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
    const adviser = await guard.adviser(req, res, false);
    if (!adviser) return;
    const { session, scope } = adviser;
    const schools = deps.schools
      .all()
      .filter((school) => scope.allows(school.id))
      .map((school) => ({ id: school.id, name: school.name }));
    const presence = await deps.presence.get(session.username);
    const body: SessionResponse = { username: session.username, csrfToken: session.csrfToken, schools, awayAfterMinutes: deps.awayAfterMs / 60_000, presence: presence.status };
    res.status(200).json(body);
  });

  router.post('/logout', json, async (req, res) => {
    const session = await guard.authorise(req, res, true);
    if (!session) return;
    await deps.sessions.destroy(cookieOf(req, SESSION_COOKIE));
    await deps.presence.set(session.username, 'away', []);
    events.nudge();
    res.clearCookie(SESSION_COOKIE, { path: '/' });
    res.status(204).end();
  });

  router.get('/queue', async (req, res) => {
    const adviser = await guard.adviser(req, res, false);
    if (!adviser) return;
    const query = QueueQuery.safeParse(req.query);
    if (!query.success) return sendError(res, 400, codeFor(400), `bad query: ${query.error.issues[0].path.join('.')} ${query.error.issues[0].message}`);
    const items = await consoleItems(
      (await deps.queue.list()).filter((item) => adviser.scope.allows(item.school)),
      deps.now(),
      deps.alertStats,
      deps.logger,
    );
    const filter = queueFilterOf(query.data);
    const body: QueueResponse = { items: items.filter((item) => matchesFilter(item, filter, adviser.session.username)) };
    res.status(200).json(body);
  });

  /** Server-sent events: `queue`, `presence` and, with ?conversation=<id>, `conversation` when it changes. */
  router.get('/events', async (req, res) => {
    const adviser = await guard.adviser(req, res, false);
    if (!adviser) return;
    const watched = typeof req.query.conversation === 'string' ? req.query.conversation : undefined;
    if (watched !== undefined && (!guard.conversationId(watched, res) || !(await guard.mayOpen(adviser.scope, watched, res)))) return;
    events.open(res, { username: adviser.session.username, scope: adviser.scope, sessionId: cookieOf(req, SESSION_COOKIE) ?? '', conversationId: watched });
  });

  router.get('/conversations/:id', async (req, res) => {
    const target = await guard.toRead(req, res);
    if (!target) return;
    const { id } = target;
    const [item, transcript, notes, closed] = await Promise.all([deps.queue.get(id), deps.transcripts.read(id), actions.notes(id), actions.closed.record(id)]);
    if (!item && !closed) return sendError(res, 404, codeFor(404), 'no hand-off for that conversation');
    const about = item ?? closed;
    if (!about) return;
    const body: ConversationView = {
      ...about,
      ...(item ? {} : { outcome: closed?.outcome, closedBy: closed?.closedBy, closedAt: closed?.closedAt }),
      conversationId: id,
      status: item?.status ?? 'closed',
      transcript,
      notes,
    };
    res.status(200).json(body);
  });

  router.post('/conversations/:id/claim', json, async (req, res) => {
    const target = await guard.toChange(req, res);
    if (!target) return;
    const claimed = await actions.claim(target.id, target.session.username);
    if (!claimed.done) return sendRefusal(res, claimed, { claim: true });
    events.nudge();
    res.status(200).json({ item: claimed.item });
  });

  router.post('/conversations/:id/messages', json, async (req, res) => {
    const target = await guard.toChange(req, res);
    if (!target) return;
    const body = Text.safeParse(req.body);
    if (!body.success) return sendError(res, 400, codeFor(400), body.error.issues[0].message);
    const sent = await actions.message(target.id, target.session.username, body.data.text);
    if (!sent.done) return sendRefusal(res, sent);
    res.status(200).json({ delivered: true });
  });

  router.post('/conversations/:id/notes', json, async (req, res) => {
    const target = await guard.toChange(req, res);
    if (!target) return;
    const body = Text.safeParse(req.body);
    if (!body.success) return sendError(res, 400, codeFor(400), body.error.issues[0].message);
    const noted = await actions.note(target.id, target.session.username, body.data.text);
    if (!noted.done) return sendRefusal(res, noted);
    events.nudge();
    res.status(200).json({ saved: true });
  });

  router.post('/conversations/:id/close', json, async (req, res) => {
    const target = await guard.toChange(req, res);
    if (!target) return;
    const body = Close.safeParse(req.body ?? {});
    if (!body.success)
      return sendError(res, 400, codeFor(400), body.error.issues[0].path[0] === 'note' ? `note: ${body.error.issues[0].message}` : 'outcome must be resolved, referred-on or no-reply');
    const closed = await actions.close(target.id, target.session.username, body.data.outcome, body.data.note);
    if (!closed.done) return sendRefusal(res, closed);
    events.nudge();
    res.status(200).json({ closed: true, outcome: body.data.outcome });
  });

  addHandoverRoutes(router, { guard, actions, accounts: deps.accounts, events, schools: deps.schools, json });
  addPresenceRoutes(router, { guard, presence: deps.presence, accounts: deps.accounts, events, json });
  addSavedReplyRoutes(router, { guard, savedReplies: deps.savedReplies, schools: deps.schools, now: deps.now, json });
  addInsightsRoutes(router, {
    insights: deps.insightsStore,
    schools: deps.schools,
    topics: deps.content.topics,
    now: deps.now,
    scopeOf: async (req, res) => (await guard.adviser(req, res, false))?.scope,
  });

  router.use((req, res) => sendError(res, 404, codeFor(404), `no adviser endpoint ${req.method} ${req.path}`));
  return { router, events };
}
