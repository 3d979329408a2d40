import type { RequestHandler, Router } from 'express';
import { z } from 'zod';
import { PRESENCE_STATUSES, type PresenceBoard } from '../../bot/handoff/presenceBoard';
import { codeFor, sendError } from '../http/errors';
import type { AdviserAccounts } from './accounts';
import type { AdviserGuard } from './adviserGuard';
import type { ConsoleEvents } from './consoleEvents';
import { everyonesPresence, presenceFor } from './queueView';
import type { PresenceResponse } from './shared/consoleApi';

export interface PresenceRoutesDeps {
  guard: AdviserGuard;
  presence: PresenceBoard;
  accounts: AdviserAccounts;
  events: ConsoleEvents;
  json: RequestHandler;
}

const Presence = z.object({ status: z.enum(PRESENCE_STATUSES) });

/**
 * Presence (CONTRACT.md): an adviser says they are available, busy or away; the console says it
 * again while its adviser is active, and a status not renewed lapses to away. The bot tells a
 * pupil an adviser is online only while one of their school's is available.
 */
export function addPresenceRoutes(router: Router, deps: PresenceRoutesDeps): void {
  router.put('/presence', deps.json, async (req, res) => {
    const adviser = await deps.guard.adviser(req, res, true);
    if (!adviser) return;
    const body = Presence.safeParse(req.body ?? {});
    if (!body.success) return sendError(res, 400, codeFor(400), 'status must be available, busy or away');
    const entry = await deps.presence.set(adviser.session.username, body.data.status, adviser.scope.schools);
    deps.events.nudge();
    res.status(200).json({ status: entry.status, ...(entry.since ? { since: entry.since } : {}) });
  });

  router.get('/presence', async (req, res) => {
    const adviser = await deps.guard.adviser(req, res, false);
    if (!adviser) return;
    const body: PresenceResponse = { advisers: presenceFor(adviser.scope, await everyonesPresence(deps.presence, deps.accounts)) };
    res.status(200).json(body);
  });
}
