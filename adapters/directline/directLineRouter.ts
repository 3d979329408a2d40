import { timingSafeEqual } from 'node:crypto';
import express, { type Request, type RequestHandler, type Response, type Router } from 'express';
import type { TurnContext } from 'botbuilder';
import type { ConversationLog, RateLimit, RateLimits } from '../../bot/ports';
import type { DirectLineConversations } from './conversations';
import { codeFor, sendError } from '../http/errors';
import { isStoreUnavailable } from '../storeUnavailable';
import { jsonBody } from '../http/jsonBody';
import { clientAddress, limitByAddress, sendTooManyRequests } from '../http/rateLimit';
import type { Config } from '../config/config';
import type { DirectLineAdapter } from './directLineAdapter';
import { parseInboundActivity } from './inboundActivity';
import type { TokenClaims, TokenSigner } from './tokens';

export interface DirectLineDeps {
  adapter: DirectLineAdapter;
  log: ConversationLog;
  signer: TokenSigner;
  conversations: DirectLineConversations;
  logic: (context: TurnContext) => Promise<void>;
  /** DIRECTLINE_SECRET: when set, tokens/generate and secret-authorised calls need it */
  secret?: string;
  limits: DirectLineLimits;
}

/** The web chat channel's rate limits; a limit of 0 a minute lets all through. */
export interface DirectLineLimits {
  /** every Direct Line request, per client address */
  address: RateLimit;
  /** new conversations (tokens/generate, and the chat page's token), per client address */
  conversations: RateLimit;
  /** POST activities, per conversation */
  messages: RateLimit;
  /** GET activities (polling), per conversation */
  polls: RateLimit;
}

/** The limits from config (RATE_LIMIT_*), one each, counted where `rateLimits` counts (shared on Redis). */
export function directLineLimits(
  config: Pick<Config, 'RATE_LIMIT_ADDRESS_PER_MINUTE' | 'RATE_LIMIT_CONVERSATIONS_PER_MINUTE' | 'RATE_LIMIT_MESSAGES_PER_MINUTE' | 'RATE_LIMIT_POLLS_PER_MINUTE'>,
  rateLimits: RateLimits,
): DirectLineLimits {
  return {
    address: rateLimits.limit('address', config.RATE_LIMIT_ADDRESS_PER_MINUTE),
    conversations: rateLimits.limit('conversations', config.RATE_LIMIT_CONVERSATIONS_PER_MINUTE),
    messages: rateLimits.limit('messages', config.RATE_LIMIT_MESSAGES_PER_MINUTE),
    polls: rateLimits.limit('polls', config.RATE_LIMIT_POLLS_PER_MINUTE),
  };
}

const BODY_LIMIT = '64kb';
const conversationIdPattern = /^[A-Za-z0-9_-]{8,64}$/;

function bearer(req: Request): string | undefined {
  const header = req.get('authorization');
  const match = header ? /^Bearer\s+(\S+)$/i.exec(header) : null;
  return match?.[1];
}

function sameSecret(given: string, secret: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(secret);
  return a.length === b.length && timingSafeEqual(a, b);
}

/** `?watermark=` as Direct Line clients send it: empty or absent means from the start. */
function parseWatermark(value: unknown): number | undefined {
  if (value === undefined || value === '') return 0;
  if (typeof value !== 'string' || !/^\d{1,9}$/.test(value)) return undefined;
  return Number(value);
}

export function streamUrlFor(req: Request, conversationId: string, token: string, watermark = ''): string {
  const scheme = req.secure ? 'wss' : 'ws';
  const query = new URLSearchParams({ t: token, watermark });
  return `${scheme}://${req.get('host') ?? 'localhost'}${req.baseUrl}/conversations/${conversationId}/stream?${query.toString()}`;
}

/**
 * The self-hosted Direct Line 3.0 endpoints (see CONTRACT.md). A token opens its own
 * conversation only; everything is kept in the shared conversation log.
 */
export function createDirectLineRouter(deps: DirectLineDeps): Router {
  const router = express.Router();
  const json = jsonBody(BODY_LIMIT);

  router.use((req, res, next) => {
    // A school may embed the chat on its own site: tokens, not cookies, authorise these calls.
    res.set('Access-Control-Allow-Origin', '*');
    res.set('Access-Control-Allow-Headers', 'Authorization, Content-Type, x-ms-bot-agent');
    res.set('Access-Control-Allow-Methods', 'GET, POST, OPTIONS');
    res.set('Cache-Control', 'no-store');
    if (req.method === 'OPTIONS') {
      res.sendStatus(204);
      return;
    }
    next();
  });
  // After the CORS headers, so a page on another origin can read the 429 and its Retry-After.
  router.use(limitByAddress(deps.limits.address));

  const issue = (conversationId: string, userId: string) => deps.conversations.issue(conversationId, userId);
  const createConversation = () => deps.conversations.create();

  const isSecret = (req: Request): boolean => {
    const given = bearer(req);
    return Boolean(deps.secret && given && sameSecret(given, deps.secret));
  };

  /**
   * Checks the Bearer token, that it opens the conversation in the path (if any), the
   * conversation's rate limit (if given; before any store is read) and that the conversation
   * still exists. Sends the refusal itself and resolves undefined when it fails.
   */
  const authorise = async (req: Request, res: Response, limit?: RateLimit): Promise<TokenClaims | undefined> => {
    const token = bearer(req);
    if (!token) return void sendError(res, 401, codeFor(401), 'an Authorization: Bearer token is required');
    const check = deps.signer.check(token);
    if (!check.ok) return void sendError(res, 403, 'TokenInvalid', check.reason);
    const pathId = req.params.id;
    if (typeof pathId === 'string' && pathId !== check.claims.conversationId) {
      return void sendError(res, 403, codeFor(403), 'this token does not open that conversation');
    }
    const rate = limit?.enabled ? await limit.take(check.claims.conversationId) : undefined;
    if (rate && !rate.allowed) return void sendTooManyRequests(res, rate.retryAfterSeconds, 'too many requests in this conversation; slow down');
    // The store is down: the signed token is proof enough, and the log holds what the pupil sends.
    const known = await deps.log.getMeta(check.claims.conversationId).catch((error: unknown) => {
      if (isStoreUnavailable(error)) return 'store down';
      throw error;
    });
    if (!known) {
      return void sendError(res, 404, codeFor(404), 'conversation not found; it may have expired');
    }
    return check.claims;
  };

  const startAndReply = async (conversationId: string, userId: string, req: Request, res: Response): Promise<void> => {
    await deps.adapter.start(conversationId, userId, deps.logic);
    const body = issue(conversationId, userId);
    res.status(201).json({ ...body, streamUrl: streamUrlFor(req, conversationId, body.token) });
  };

  router.param('id', (req, res, next, id: string) => {
    if (!conversationIdPattern.test(id)) return sendError(res, 404, codeFor(404), 'conversation not found');
    next();
  });

  router.post('/tokens/generate', json, async (req, res) => {
    if (deps.secret && !isSecret(req)) return sendError(res, 401, codeFor(401), 'tokens/generate needs Authorization: Bearer <DIRECTLINE_SECRET>');
    const rate = await deps.limits.conversations.take(clientAddress(req));
    if (!rate.allowed) return sendTooManyRequests(res, rate.retryAfterSeconds, 'too many new conversations from this address; try again later');
    const { conversationId, userId } = await createConversation();
    res.status(200).json(issue(conversationId, userId));
  });

  router.post('/tokens/refresh', async (req, res) => {
    const claims = await authorise(req, res);
    if (claims) res.status(200).json(issue(claims.conversationId, claims.userId));
  });

  router.post('/conversations', json, async (req, res) => {
    if (isSecret(req)) {
      // Secret holders (servers, the benchmark) start a fresh conversation, as on Azure.
      const { conversationId, userId } = await createConversation();
      return startAndReply(conversationId, userId, req, res);
    }
    const claims = await authorise(req, res);
    if (claims) await startAndReply(claims.conversationId, claims.userId, req, res);
  });

  router.get('/conversations/:id', async (req, res) => {
    const claims = await authorise(req, res);
    if (!claims) return;
    const watermark = parseWatermark(req.query.watermark);
    if (watermark === undefined) return sendError(res, 400, codeFor(400), 'watermark must be a whole number');
    const body = issue(claims.conversationId, claims.userId);
    res.status(200).json({ ...body, streamUrl: streamUrlFor(req, claims.conversationId, body.token, String(watermark)) });
  });

  // Authorised and counted before the body is read, so a flooding client costs no parsing.
  const claimsOf = new WeakMap<Request, TokenClaims>();
  const authorisedActivity: RequestHandler = async (req, res, next) => {
    const claims = await authorise(req, res, deps.limits.messages);
    if (!claims) return;
    claimsOf.set(req, claims);
    next();
  };

  router.post('/conversations/:id/activities', authorisedActivity, json, async (req, res) => {
    const claims = claimsOf.get(req);
    if (!claims) return sendError(res, 401, codeFor(401), 'an Authorization: Bearer token is required');
    if (!req.is(['application/json', 'application/*+json'])) {
      return sendError(res, 415, codeFor(415), 'send the activity as application/json');
    }
    const parsed = parseInboundActivity(req.body);
    if (!parsed.ok) return sendError(res, 400, codeFor(400), parsed.reason);
    const id = await deps.adapter.receive(claims.conversationId, claims.userId, parsed.activity, deps.logic);
    res.status(200).json({ id });
  });

  router.get('/conversations/:id/activities', async (req, res) => {
    const claims = await authorise(req, res, deps.limits.polls);
    if (!claims) return;
    const watermark = parseWatermark(req.query.watermark);
    if (watermark === undefined) return sendError(res, 400, codeFor(400), 'watermark must be a whole number');
    const page = await deps.log.read(claims.conversationId, watermark);
    res.status(200).json({ activities: page.activities, watermark: String(page.watermark) });
  });

  router.use((req, res) => sendError(res, 404, codeFor(404), `no Direct Line endpoint ${req.method} ${req.path}`));
  return router;
}
