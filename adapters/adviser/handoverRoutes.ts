import type { RequestHandler, Router } from 'express';
import { z } from 'zod';
import type { AdviserActions } from '../../bot/handoff/adviserActions';
import { NO_SCHOOL } from '../../bot/handoff/handoffService';
import type { SchoolDirectory } from '../../bot/schools/schoolDirectory';
import { ADVISER_TEXT_MAX, scriptProblem } from '../../knowledge/adviserText';
import { codeFor, sendError } from '../http/errors';
import { USERNAME_PATTERN, type AdviserAccounts } from './accounts';
import { sendRefusal, type AdviserGuard } from './adviserGuard';
import type { ConsoleEvents } from './consoleEvents';
import type { ClosedResponse } from './shared/consoleApi';

export interface HandoverRoutesDeps {
  guard: AdviserGuard;
  actions: AdviserActions;
  accounts: AdviserAccounts;
  events: ConsoleEvents;
  schools: SchoolDirectory;
  json: RequestHandler;
}

/** An optional note: may be empty, else an adviser's text (length, no markup). */
const Note = z
  .string()
  .trim()
  .max(ADVISER_TEXT_MAX, `note is over ${ADVISER_TEXT_MAX} characters`)
  .superRefine((text, ctx) => {
    const problem = scriptProblem(text);
    if (problem) ctx.addIssue({ code: 'custom', message: `note ${problem}` });
  })
  .optional();
const Transfer = z.object({ to: z.string().trim().toLowerCase().regex(USERNAME_PATTERN, 'to must be an adviser username or null').nullable(), note: Note });
const ClosedQuery = z.object({ days: z.coerce.number().int().min(1).max(365).default(7) });

/**
 * Passing a conversation on (CONTRACT.md's transfer), re-opening a closed one and finding the
 * recently closed ones, for the adviser's schools only.
 */
export function addHandoverRoutes(router: Router, deps: HandoverRoutesDeps): void {
  const { guard, actions, accounts, events } = deps;

  router.post('/conversations/:id/transfer', deps.json, async (req, res) => {
    const target = await guard.toChange(req, res);
    if (!target) return;
    const body = Transfer.safeParse(req.body ?? {});
    if (!body.success) return sendError(res, 400, codeFor(400), body.error.issues[0].message);
    const { to, note } = body.data;
    if (to !== null && to !== target.session.username) {
      const school = (await actions.schoolOf(target.id))?.school;
      if (!(await accounts.exists(to)) || !(await accounts.schoolsOf(to)).allows(school)) return sendError(res, 400, codeFor(400), `to: no adviser ${to} who works for this conversation's school`);
    }
    const moved = await actions.transfer(target.id, target.session.username, to, note || undefined);
    if (!moved.done) return sendRefusal(res, moved, { notHolder: 403 });
    events.nudge();
    res.status(200).json({ item: moved.item });
  });

  router.post('/conversations/:id/reopen', deps.json, async (req, res) => {
    const target = await guard.toChange(req, res);
    if (!target) return;
    const reopened = await actions.reopen(target.id, target.session.username);
    if (!reopened.done) return sendRefusal(res, reopened, { claim: true });
    events.nudge();
    res.status(200).json({ item: reopened.item });
  });

  router.get('/closed', async (req, res) => {
    const adviser = await guard.adviser(req, res, false);
    if (!adviser) return;
    const query = ClosedQuery.safeParse(req.query);
    if (!query.success) return sendError(res, 400, codeFor(400), 'days must be a whole number from 1 to 365');
    const schools = [...deps.schools.all().map((school) => school.id), NO_SCHOOL].filter((school) => adviser.scope.allows(school));
    const items = await actions.recentlyClosed(schools, query.data.days);
    const body: ClosedResponse = {
      items: items.map(({ conversationId, priority, flags, channel, summary, school, outcome, closedBy, closedAt }) => ({
        conversationId,
        priority,
        flags,
        channel,
        summary,
        school,
        outcome,
        closedBy,
        closedAt,
      })),
    };
    res.status(200).json(body);
  });
}
