import type { Request, RequestHandler, Response, Router } from 'express';
import { z } from 'zod';
import { adviserHoursPhrase } from '../../bot/calendar/adviserHours';
import { FROM_CONTENT, SHARED, type SavedReplies, type SavedReply, type SaveResult } from '../../bot/handoff/savedReplies';
import type { SchoolDirectory } from '../../bot/schools/schoolDirectory';
import { SavedReplyName, SavedReplyText, SavedReplyTitle } from '../../knowledge/adviserText';
import { codeFor, sendError } from '../http/errors';
import type { AdviserGuard } from './adviserGuard';
import type { SchoolScope } from './adviserSchools';
import type { SavedRepliesResponse, SavedReplyView } from './shared/consoleApi';

export interface SavedReplyRoutesDeps {
  guard: AdviserGuard;
  savedReplies: SavedReplies;
  schools: SchoolDirectory;
  now: () => Date;
  json: RequestHandler;
}

const Reply = z.object({ name: SavedReplyName, title: SavedReplyTitle, text: SavedReplyText });
const NewReply = Reply.extend({ scope: z.string().max(40) });
const idPattern = /^[a-f0-9]{16}$/;

const REFUSED: Record<Exclude<SaveResult, { ok: true }>['reason'], [number, string]> = {
  'name-taken': [409, 'a saved reply of that name is already there: choose another name'],
  'too-many': [409, 'there are 200 saved replies there already: remove one first'],
  'not-found': [404, 'no such saved reply'],
  busy: [503, 'another adviser is saving a reply there just now: try again'],
};

/**
 * Saved replies: the content's (read-only), the shared ones (any adviser may keep them) and each
 * school's (its advisers), with the values of their placeholders for each of the adviser's
 * schools. Texts are validated as an adviser's messages are, and never logged.
 */
export function addSavedReplyRoutes(router: Router, deps: SavedReplyRoutesDeps): void {
  const schoolIds = (scope: SchoolScope) =>
    deps.schools
      .all()
      .filter((school) => scope.allows(school.id))
      .map((school) => school.id);

  /** The scope named in a request if this adviser may change its replies, else undefined with the refusal sent. */
  const mayChange = (scope: string, adviserScope: SchoolScope, res: Response): string | undefined => {
    if (scope === SHARED) return scope;
    if (scope === FROM_CONTENT) return void sendError(res, 403, codeFor(403), 'the replies from the content are changed in knowledge/adviser/saved-replies.json');
    if (!deps.schools.get(scope)) return void sendError(res, 404, codeFor(404), 'no such school');
    if (!adviserScope.allows(scope)) return void sendError(res, 403, codeFor(403), 'that school is not one you work for');
    return scope;
  };

  const view = (reply: SavedReply): SavedReplyView => ({ ...reply, editable: reply.scope !== FROM_CONTENT });

  const answer = (res: Response, result: SaveResult, status: number) => {
    if (result.ok) return void res.status(status).json({ reply: view(result.reply) });
    const [code, message] = REFUSED[result.reason];
    sendError(res, code, codeFor(code), message);
  };

  const target = async (req: Request, res: Response) => {
    const adviser = await deps.guard.adviser(req, res, true);
    if (!adviser) return undefined;
    const scope = mayChange(String(req.params.scope), adviser.scope, res);
    if (!scope) return undefined;
    const id = String(req.params.id);
    if (!idPattern.test(id)) return void sendError(res, 404, codeFor(404), 'no such saved reply');
    return { username: adviser.session.username, scope, id };
  };

  router.get('/saved-replies', async (req, res) => {
    const adviser = await deps.guard.adviser(req, res, false);
    if (!adviser) return;
    const schools = schoolIds(adviser.scope);
    const replies = await deps.savedReplies.list(schools);
    const now = deps.now();
    const values = Object.fromEntries(
      schools.flatMap((id) => {
        const school = deps.schools.get(id);
        return school ? [[id, { school: school.name, adviserHours: adviserHoursPhrase(school.calendar, now) }]] : [];
      }),
    );
    const body: SavedRepliesResponse = { replies: replies.map(view), values };
    res.status(200).json(body);
  });

  router.post('/saved-replies', deps.json, async (req, res) => {
    const adviser = await deps.guard.adviser(req, res, true);
    if (!adviser) return;
    const body = NewReply.safeParse(req.body ?? {});
    if (!body.success) return sendError(res, 400, codeFor(400), body.error.issues[0].message);
    const { scope: asked, ...input } = body.data;
    const scope = mayChange(asked, adviser.scope, res);
    if (!scope) return;
    answer(res, await deps.savedReplies.create(scope, input, adviser.session.username), 201);
  });

  router.put('/saved-replies/:scope/:id', deps.json, async (req, res) => {
    const found = await target(req, res);
    if (!found) return;
    const body = Reply.safeParse(req.body ?? {});
    if (!body.success) return sendError(res, 400, codeFor(400), body.error.issues[0].message);
    answer(res, await deps.savedReplies.update(found.scope, found.id, body.data, found.username), 200);
  });

  router.delete('/saved-replies/:scope/:id', async (req, res) => {
    const found = await target(req, res);
    if (!found) return;
    if (!(await deps.savedReplies.remove(found.scope, found.id))) return sendError(res, 404, codeFor(404), 'no such saved reply');
    res.status(204).end();
  });
}
