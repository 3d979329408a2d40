import { parseCookie } from 'cookie';
import express, { type Request, type Response, type Router } from 'express';
import { z } from 'zod';
import { adviserNotesKey, adviserOutcomeKey } from '../../bot/handoff/adviserRecords';
import type { HandoffQueue, InsightsStore, KeyValueStore, Logger, TranscriptStore } from '../../bot/ports';
import type { Content } from '../../knowledge/loadContent';
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
import { errorMessage } from '../../bot/errorMessage';

export const SESSION_COOKIE = 'adviser_session';
const NOTE_TTL_MS_PER_DAY = 86_400_000;

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
}

const Login = z.object({ username: z.string().min(1).max(100), password: z.string().min(1).max(200) });
const Text = z.object({ text: z.string().trim().min(1, 'text is empty').max(2000, 'text is over 2000 characters') });
const Close = z.object({ outcome: z.enum(['resolved', 'referred-on', 'no-reply']).default('resolved'), note: z.string().trim().max(2000).optional() });
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
  const retentionMs = deps.retentionDays * NOTE_TTL_MS_PER_DAY;

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

  /** The school of a conversation in the queue or closed by an adviser; undefined when neither. */
  const schoolOfConversation = async (id: string): Promise<{ school: string | undefined } | undefined> => {
    const item = await deps.queue.get(id);
    if (item) return { school: item.school };
    const closed = await deps.keyValue.get(`adviser:outcome:${id}`);
    if (!closed) return undefined;
    const parsed = z.object({ school: z.string().optional() }).passthrough().safeParse(JSON.parse(closed));
    return { school: parsed.success ? parsed.data.school : undefined };
  };

  /** False (and 403 sent) when the conversation belongs to a school this adviser does not work for. */
  const mayOpen = async (scope: SchoolScope, id: string, res: Response): Promise<boolean> => {
    const found = await schoolOfConversation(id);
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

  const addNote = (id: string, by: string, text: string) =>
    deps.keyValue.push(adviserNotesKey(id), JSON.stringify({ by, text, timestamp: deps.now().toISOString() }), retentionMs);

  /** A notice to the pupil that must not fail the adviser's action (the queue has already changed). */
  const tellPupil = (id: string, answerId: string) =>
    deps.messenger.send(id, deps.content.answer(answerId).text, 'bot').catch((error: unknown) => {
      deps.logger.warn('could not send a hand-off notice to the pupil', { conversationId: id, answerId, error: errorMessage(error) });
    });

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
    res.status(200).json({ items: items.filter((item) => scope.allows(item.school)) });
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
    const { session, id } = target;
    const before = await deps.queue.get(id);
    const result = await deps.queue.claim(id, session.username);
    if (!result.ok && result.reason === 'not-found') return sendError(res, 404, codeFor(404), 'not in the queue');
    if (!result.ok) {
      res.status(409).json({ error: { code: 'Conflict', message: `already claimed by ${result.claimedBy}` }, claimedBy: result.claimedBy });
      return;
    }
    if (before?.status === 'waiting') {
      const waitedSeconds = (deps.now().getTime() - Date.parse(result.item.waitingSince)) / 1000;
      if (deps.schools.get(result.item.school)) deps.insights.record(result.item.school, { kind: 'picked-up', waitedSeconds });
      await tellPupil(id, 'handoff.adviser-joined');
    }
    res.status(200).json({ item: result.item });
  });

  /** The item, if this adviser holds it; else the refusal is sent. */
  const heldBy = async (id: string, username: string, res: Response) => {
    const item = await deps.queue.get(id);
    if (!item) return void sendError(res, 404, codeFor(404), 'not in the queue');
    if (item.status !== 'claimed' || item.claimedBy !== username) {
      res.status(409).json({ error: { code: 'Conflict', message: item.claimedBy ? `claimed by ${item.claimedBy}` : 'claim it first' }, claimedBy: item.claimedBy });
      return undefined;
    }
    return item;
  };

  router.post('/conversations/:id/messages', json, async (req, res) => {
    const target = await changeTo(req, res);
    if (!target) return;
    const { session, id } = target;
    const body = Text.safeParse(req.body);
    if (!body.success) return sendError(res, 400, codeFor(400), body.error.issues[0].message);
    if (!(await heldBy(id, session.username, res))) return;
    await deps.messenger.send(id, body.data.text, 'adviser');
    res.status(200).json({ delivered: true });
  });

  router.post('/conversations/:id/notes', json, async (req, res) => {
    const target = await changeTo(req, res);
    if (!target) return;
    const { session, id } = target;
    const body = Text.safeParse(req.body);
    if (!body.success) return sendError(res, 400, codeFor(400), body.error.issues[0].message);
    if (!(await deps.queue.get(id))) return sendError(res, 404, codeFor(404), 'not in the queue');
    await addNote(id, session.username, body.data.text);
    res.status(200).json({ saved: true });
  });

  router.post('/conversations/:id/close', json, async (req, res) => {
    const target = await changeTo(req, res);
    if (!target) return;
    const { session, id } = target;
    const body = Close.safeParse(req.body ?? {});
    if (!body.success) return sendError(res, 400, codeFor(400), 'outcome must be resolved, referred-on or no-reply');
    const item = await heldBy(id, session.username, res);
    if (!item) return;
    const record = { ...item, outcome: body.data.outcome, closedBy: session.username, closedAt: deps.now().toISOString() };
    await deps.keyValue.set(adviserOutcomeKey(id), JSON.stringify(record), retentionMs);
    if (body.data.note) await addNote(id, session.username, body.data.note);
    if ((await deps.queue.close(id)) && deps.schools.get(item.school)) deps.insights.record(item.school, { kind: 'outcome', outcome: body.data.outcome });
    await tellPupil(id, 'handoff.adviser-left');
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
