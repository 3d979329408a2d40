import path from 'node:path';
import express, { type Router } from 'express';
import { z } from 'zod';
import type { SchoolDirectory } from '../../bot/schools/schoolDirectory';
import type { DirectLineConversations } from '../directline/conversations';
import { codeFor, sendError } from '../http/errors';
import { jsonBody } from '../http/jsonBody';
import { clientAddress, sendTooManyRequests, type RateLimiter } from '../http/rateLimit';
import { chatPagePolicy } from '../http/securityHeaders';
import { projectRoot } from '../paths';
import { isStoreUnavailable } from '../storeUnavailable';
import { schoolListPage, unknownSchoolPage } from './schoolPages';

const TokenRequest = z.object({ school: z.string().max(100).optional() }).passthrough();

/**
 * The pupil's chat page, the Web Chat bundle from node_modules, and the page's token endpoint.
 * Each school's pupils chat at `/s/<school-id>`; `/` is the default school's chat, or, when
 * SCHOOLS_FILE has no `default`, a list of the schools' chats.
 * `newConversations` limits tokens per client address (shared with Direct Line's tokens/generate);
 * `notice` is what the page shows when no chat can be started (content's error.turn).
 */
export function createWebRouter(conversations: DirectLineConversations, schools: SchoolDirectory, newConversations: RateLimiter, notice = ''): Router {
  const router = express.Router();
  const root = projectRoot();
  const publicDir = path.join(root, 'adapters', 'web', 'public');
  const webChatBundle = path.join(root, 'node_modules', 'botframework-webchat', 'dist', 'webchat.js');
  const chatPage = path.join(publicDir, 'index.html');

  router.get('/', chatPagePolicy, (_req, res) => {
    if (schools.defaultSchool) return res.sendFile(chatPage);
    res.type('html').send(schoolListPage(schools.all()));
  });
  router
    .route('/s/:school')
    .all(chatPagePolicy)
    .get((req, res) => {
      if (schools.get(req.params.school)) return res.sendFile(chatPage);
      res.status(404).type('html').send(unknownSchoolPage());
    });
  router.get('/webchat/webchat.js', (_req, res) => {
    res.set('Cache-Control', 'public, max-age=86400').sendFile(webChatBundle);
  });
  // The page's own files only: every Direct Line poll and API call passes through here, and the
  // static handler would otherwise look each of them up on disk.
  const assets = express.static(publicDir, { index: false });
  router.use((req, res, next) => (/^\/(v3|api|adviser)(\/|$)/.test(req.path) ? next() : chatPagePolicy(req, res, () => assets(req, res, next))));

  router.post('/api/webchat/token', jsonBody('4kb'), async (req, res) => {
    res.set('Cache-Control', 'no-store');
    const rate = newConversations.take(clientAddress(req));
    if (!rate.allowed) return sendTooManyRequests(res, rate.retryAfterSeconds, 'too many new conversations from this address; try again later');
    const body = TokenRequest.safeParse(req.body ?? {});
    if (!body.success) return sendError(res, 400, codeFor(400), 'send {"school"?: "<school id>"}');
    const school = body.data.school === undefined ? schools.defaultSchool : schools.get(body.data.school);
    if (!school) return sendError(res, 404, codeFor(404), body.data.school === undefined ? 'name a school: this deployment has no default school' : 'no such school');
    try {
      const issued = await conversations.createWithToken(school.id);
      res.status(200).json({ ...issued, school: { id: school.id, name: school.name } });
    } catch (error) {
      if (!isStoreUnavailable(error)) throw error;
      res.set('Retry-After', '5').status(503).json({ error: { code: codeFor(503), message: 'the chat cannot start just now' }, notice });
    }
  });
  return router;
}
