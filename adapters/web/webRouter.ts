import path from 'node:path';
import express, { type Router } from 'express';
import type { DirectLineConversations } from '../directline/conversations';
import { jsonBody } from '../http/jsonBody';
import { clientAddress, sendTooManyRequests, type RateLimiter } from '../http/rateLimit';
import { projectRoot } from '../paths';
import { codeFor } from '../http/errors';
import { isStoreUnavailable } from '../storeUnavailable';

const pageHeaders = {
  // Web Chat injects its own styles at run time, so inline styles are allowed; scripts are not.
  'Content-Security-Policy':
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; font-src 'self' data:; connect-src 'self' ws: wss:; frame-ancestors 'self'; base-uri 'none'; form-action 'none'",
};

/**
 * The pupil's chat page, the Web Chat bundle from node_modules, and the page's token endpoint.
 * `notice` is what the page shows when no chat can be started (content's error.turn).
 * `newConversations` limits tokens per client address (shared with Direct Line's tokens/generate).
 */
export function createWebRouter(conversations: DirectLineConversations, newConversations: RateLimiter, notice = ''): Router {
  const router = express.Router();
  const root = projectRoot();
  const publicDir = path.join(root, 'adapters', 'web', 'public');
  const webChatBundle = path.join(root, 'node_modules', 'botframework-webchat', 'dist', 'webchat.js');

  router.get('/', (_req, res) => {
    res.set(pageHeaders).sendFile(path.join(publicDir, 'index.html'));
  });
  router.get('/webchat/webchat.js', (_req, res) => {
    res.set('Cache-Control', 'public, max-age=86400').sendFile(webChatBundle);
  });
  router.use(express.static(publicDir, { index: false, setHeaders: (res) => res.set(pageHeaders) }));

  router.post('/api/webchat/token', jsonBody('1kb'), async (req, res) => {
    res.set('Cache-Control', 'no-store');
    const rate = newConversations.take(clientAddress(req));
    if (!rate.allowed) return sendTooManyRequests(res, rate.retryAfterSeconds, 'too many new conversations from this address; try again later');
    try {
      res.status(200).json(await conversations.createWithToken());
    } catch (error) {
      if (!isStoreUnavailable(error)) throw error;
      res.set('Retry-After', '5').status(503).json({ error: { code: codeFor(503), message: 'the chat cannot start just now' }, notice });
    }
  });
  return router;
}
