import { parseCookie } from 'cookie';
import type { Request, Response } from 'express';
import type { AdviserActions, Refusal } from '../../bot/handoff/adviserActions';
import { codeFor, sendError } from '../http/errors';
import type { AdviserAccounts } from './accounts';
import type { SchoolScope } from './adviserSchools';
import { sameToken, type AdviserSession, type AdviserSessions } from './sessions';

export const SESSION_COOKIE = 'adviser_session';
const conversationIdPattern = /^[A-Za-z0-9_:.|@=-]{1,200}$/;

export function cookieOf(req: Request, name: string): string | undefined {
  return parseCookie(req.get('cookie') ?? '')[name];
}

/**
 * The checks every adviser route makes, in one place: the session (401), the CSRF token on state
 * changes (403), a well-formed conversation id (404) and the adviser's schools (403).
 */
export class AdviserGuard {
  constructor(
    private readonly sessions: AdviserSessions,
    private readonly accounts: AdviserAccounts,
    private readonly actions: AdviserActions,
  ) {}

  /** The session, or a 401 sent; for state changes also the CSRF check (403). */
  async authorise(req: Request, res: Response, changesState: boolean): Promise<AdviserSession | undefined> {
    const session = await this.sessions.get(cookieOf(req, SESSION_COOKIE));
    if (!session) return void sendError(res, 401, codeFor(401), 'log in first');
    if (changesState && !sameToken(req.get('x-csrf-token'), session.csrfToken)) return void sendError(res, 403, codeFor(403), 'missing or wrong X-CSRF-Token');
    return session;
  }

  /** The signed-in adviser and their schools, or the refusal sent. */
  async adviser(req: Request, res: Response, changesState: boolean): Promise<{ session: AdviserSession; scope: SchoolScope } | undefined> {
    const session = await this.authorise(req, res, changesState);
    return session ? { session, scope: await this.accounts.schoolsOf(session.username) } : undefined;
  }

  conversationParam(req: Request, res: Response): string | undefined {
    return this.conversationId(String(req.params.id ?? ''), res);
  }

  /** The id if it can be a conversation's, else undefined with a 404 sent. */
  conversationId(id: string, res: Response): string | undefined {
    if (!conversationIdPattern.test(id)) return void sendError(res, 404, codeFor(404), 'conversation not found');
    return id;
  }

  /** False (and 403 sent) when the conversation belongs to a school this adviser does not work for. */
  async mayOpen(scope: SchoolScope, id: string, res: Response): Promise<boolean> {
    const found = await this.actions.schoolOf(id);
    if (!found || scope.allows(found.school)) return true;
    sendError(res, 403, codeFor(403), 'that conversation belongs to a school you do not work for');
    return false;
  }

  /** For reading a conversation: the session, its id and the school check, or the refusal sent. */
  async toRead(req: Request, res: Response): Promise<{ session: AdviserSession; id: string } | undefined> {
    return this.conversation(req, res, false);
  }

  /** For changing a conversation: as toRead, with the CSRF check. */
  async toChange(req: Request, res: Response): Promise<{ session: AdviserSession; id: string } | undefined> {
    return this.conversation(req, res, true);
  }

  private async conversation(req: Request, res: Response, changesState: boolean): Promise<{ session: AdviserSession; id: string } | undefined> {
    const session = await this.authorise(req, res, changesState);
    const id = session && this.conversationParam(req, res);
    if (!session || !id) return undefined;
    if (!(await this.mayOpen(await this.accounts.schoolsOf(session.username), id, res))) return undefined;
    return { session, id };
  }
}

/**
 * An action refused: 404 when the conversation is not in the queue (or, to re-open, not closed),
 * 409 when another adviser holds it or it is still open; `notHolder` (transfer) makes not holding
 * it a 403, as CONTRACT.md says.
 */
export function sendRefusal(res: Response, refusal: Refusal, options: { claim?: boolean; notHolder?: 403 } = {}): void {
  if (refusal.refused === 'not-in-queue') return sendError(res, 404, codeFor(404), 'not in the queue');
  if (refusal.refused === 'not-closed') return sendError(res, 404, codeFor(404), 'no closed conversation to re-open (its records may have passed the retention period)');
  if (refusal.refused === 'still-open') return sendError(res, 409, 'Conflict', 'it is still open: claim it instead');
  if (refusal.refused === 'unreachable') {
    return sendError(res, 409, 'Conflict', "the pupil's web chat cannot be reached from this server: it began while Redis was down and is kept by another instance. Nothing was sent");
  }
  if (refusal.refused === 'same-adviser') return sendError(res, 400, codeFor(400), 'you hold it already: pass it to another adviser, or to null for the queue');
  const { claimedBy } = refusal;
  if (options.notHolder)
    return void res
      .status(403)
      .json({ error: { code: codeFor(403), message: claimedBy ? `only ${claimedBy}, who holds it, can pass it on` : 'only the adviser holding it can pass it on' }, claimedBy });
  const message = options.claim ? `already claimed by ${claimedBy}` : claimedBy ? `claimed by ${claimedBy}` : 'claim it first';
  res.status(409).json({ error: { code: 'Conflict', message }, claimedBy });
}
