import path from 'node:path';
import express, { type Request, type Response, type Router } from 'express';
import expressStaticGzip from 'express-static-gzip';
import { z } from 'zod';
import type { RateLimit } from '../../bot/ports';
import type { SchoolDirectory } from '../../bot/schools/schoolDirectory';
import type { Content } from '../../knowledge/loadContent';
import type { DirectLineConversations } from '../directline/conversations';
import { codeFor, sendError } from '../http/errors';
import { jsonBody } from '../http/jsonBody';
import { clientAddress, sendTooManyRequests } from '../http/rateLimit';
import { chatPagePolicy } from '../http/securityHeaders';
import { isStoreUnavailable } from '../storeUnavailable';
import { readAssetManifest, webAssetsDir } from './assetManifest';
import { ChatPages, chatPageText, type RenderedPage } from './chatPage';
import { schoolListPage, unknownSchoolPage } from './schoolPages';

/** A file whose name carries its content's hash never changes, so browsers may keep it for good. */
const IMMUTABLE = 'public, max-age=31536000, immutable';
const hashedFile = /\.[A-Za-z0-9_-]{16}\.(js|css)(\.br|\.gz)?$/;

const TokenRequest = z.object({ school: z.string().max(100).optional() }).passthrough();

export interface WebRouterOptions {
  content: Content;
  /** runs the bot's first turn (its greeting) in a new conversation: Direct Line's start */
  startConversation(conversationId: string, userId: string): Promise<void>;
  /** days a conversation is kept, for the greeting's privacy line */
  retentionDays: number;
  /** where `npm run build` put the page's files (default dist/web) */
  assetsDir?: string;
}

/** Direct Line's WebSocket address for a conversation (as POST /v3/directline/conversations gives it). */
function streamUrl(req: Request, conversationId: string, token: string): string {
  const query = new URLSearchParams({ t: token, watermark: '' });
  return `${req.secure ? 'wss' : 'ws'}://${req.get('host') ?? 'localhost'}/v3/directline/conversations/${conversationId}/stream?${query.toString()}`;
}

/** The page in the encoding the browser asked for, with an ETag so a repeat visit gets a 304. */
function sendPage(req: Request, res: Response, page: RenderedPage): void {
  res.set({ 'Cache-Control': 'no-cache', ETag: page.etag, Vary: 'Accept-Encoding' }).type('html');
  if (req.fresh) return void res.status(304).end();
  // Brotli whenever it is accepted at all: browsers list gzip first with the same weight.
  if (req.acceptsEncodings('br')) return void res.set('Content-Encoding', 'br').send(page.br);
  if (req.acceptsEncodings('gzip')) return void res.set('Content-Encoding', 'gzip').send(page.gzip);
  res.send(page.html);
}

/**
 * The pupil's chat page, its files (Web Chat's bundle, the page's script and styles, all with
 * hashed names and compressed at build time) and the page's token endpoint.
 * Each school's pupils chat at `/s/<school-id>`; `/` is the default school's chat, or, when
 * SCHOOLS_FILE has no `default`, a list of the schools' chats.
 * `newConversations` limits tokens per client address (shared with Direct Line's tokens/generate).
 */
export function createWebRouter(conversations: DirectLineConversations, schools: SchoolDirectory, newConversations: RateLimit, options: WebRouterOptions): Router {
  const router = express.Router();
  const assetsDir = options.assetsDir ?? webAssetsDir();
  const manifest = readAssetManifest(assetsDir);
  const pages = manifest && new ChatPages(chatPageText(options.content, options.retentionDays), manifest, assetsDir);
  const stylesheet = manifest && `/assets/${manifest.assets['page.css']}`;
  const notice = options.content.answer('error.turn').text;
  const notBuilt = (res: Response) => sendError(res, 503, codeFor(503), 'the chat page has not been built: run npm run build');

  router.get('/', chatPagePolicy, (req, res) => {
    if (!schools.defaultSchool) return void res.type('html').send(schoolListPage(schools.all(), stylesheet));
    if (!pages) return notBuilt(res);
    sendPage(req, res, pages.get());
  });
  router
    .route('/s/:school')
    .all(chatPagePolicy)
    .get((req, res) => {
      const school = schools.get(req.params.school);
      if (!school) return void res.status(404).type('html').send(unknownSchoolPage(stylesheet));
      if (!pages) return notBuilt(res);
      sendPage(req, res, pages.get(school));
    });
  if (manifest) {
    // Only /assets/ reaches the file handler: every Direct Line poll and API call passes this router.
    router.use(
      '/assets',
      expressStaticGzip(path.join(assetsDir, 'assets'), {
        enableBrotli: true,
        orderPreference: ['br', 'gzip'],
        index: false,
        serveStatic: {
          index: false,
          cacheControl: false,
          setHeaders: (res, file) => res.setHeader('Cache-Control', hashedFile.test(file) ? IMMUTABLE : 'public, max-age=86400'),
        },
      }),
    );
  }

  router.post('/api/webchat/token', jsonBody('4kb'), async (req, res) => {
    res.set('Cache-Control', 'no-store');
    const rate = await newConversations.take(clientAddress(req));
    if (!rate.allowed) return sendTooManyRequests(res, rate.retryAfterSeconds, 'too many new conversations from this address; try again later');
    const body = TokenRequest.safeParse(req.body ?? {});
    if (!body.success) return sendError(res, 400, codeFor(400), 'send {"school"?: "<school id>"}');
    const school = body.data.school === undefined ? schools.defaultSchool : schools.get(body.data.school);
    if (!school) return sendError(res, 404, codeFor(404), body.data.school === undefined ? 'name a school: this deployment has no default school' : 'no such school');
    try {
      const issued = await conversations.createWithToken(school.id);
      // Started here, not by a second request from the page: the greeting is ready sooner, and
      // with a token and a stream address Web Chat goes straight to the stream.
      await options.startConversation(issued.conversationId, issued.userId);
      res.status(200).json({ ...issued, streamUrl: streamUrl(req, issued.conversationId, issued.token), school: { id: school.id, name: school.name } });
    } catch (error) {
      if (!isStoreUnavailable(error)) throw error;
      res
        .set('Retry-After', '5')
        .status(503)
        .json({ error: { code: codeFor(503), message: 'the chat cannot start just now' }, notice });
    }
  });
  return router;
}
