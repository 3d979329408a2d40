import express, { type Router } from 'express';
import { CloudAdapter, type TurnContext } from 'botbuilder';
import { z } from 'zod';
import type { Logger } from '../../bot/ports';
import type { Config } from '../config/config';
import { codeFor, sendError } from '../http/errors';
import { cleanText } from '../http/inputShape';
import { jsonBody } from '../http/jsonBody';
import { ChannelAuthentication } from '../teams/channelAuthentication';
import { ProactiveDelivery } from '../teams/proactiveDelivery';
import { TeamsReplyShaper } from '../teams/teamsReplies';
import { checkChannelActivity, isLoopbackServiceUrl } from './channelActivity';

export type BotFrameworkMode = 'authenticated' | 'open-development' | 'off';

/**
 * With MicrosoftAppId set, every activity must carry a valid channel token. With none, the
 * endpoint is open only outside production: an open endpoint would send replies to any
 * serviceUrl a stranger names, so in production it is switched off, and in development it takes
 * only a serviceUrl on this machine (the Emulator's).
 */
export function botFrameworkMode(config: Pick<Config, 'MicrosoftAppId' | 'NODE_ENV'>): BotFrameworkMode {
  if (config.MicrosoftAppId) return 'authenticated';
  return config.NODE_ENV === 'production' ? 'off' : 'open-development';
}

/**
 * CloudAdapter with the app registration's credentials (see ChannelAuthentication), proactive
 * messages sent as new messages, and replies shaped for what Teams can show.
 */
export function createCloudAdapter(config: Config): CloudAdapter {
  const adapter = new CloudAdapter(new ChannelAuthentication(config));
  adapter.use(new ProactiveDelivery(), new TeamsReplyShaper());
  return adapter;
}

/** What CloudAdapter.process writes, held back so the answer can be checked before it is sent. */
class HeldResponse {
  readonly socket = undefined;
  statusCode = 200;
  body: unknown;
  status(code: number): this {
    this.statusCode = code;
    return this;
  }
  send(body: unknown): this {
    this.body = body;
    return this;
  }
  header(): this {
    return this;
  }
  end(): this {
    return this;
  }
}

export interface BotFrameworkRouterDeps {
  adapter: CloudAdapter;
  logic: (context: TurnContext) => Promise<void>;
  mode: Exclude<BotFrameworkMode, 'off'>;
  logger: Logger;
}

/**
 * POST /api/messages: the Bot Framework messaging endpoint (Teams and other channels). The body
 * is checked before the SDK sees it (a malformed activity is a 400 here, not a 500 inside
 * CloudAdapter), and the SDK's own error answers, which carry internal error text, become the
 * usual JSON error bodies.
 */
export function createBotFrameworkRouter(deps: BotFrameworkRouterDeps): Router {
  const router = express.Router();
  router.post('/api/messages', jsonBody('64kb'), async (req, res) => {
    const check = checkChannelActivity(req.body);
    if (!check.ok) return sendError(res, 400, codeFor(400), check.reason);
    const { type, serviceUrl, text } = z.object({ type: z.string(), serviceUrl: z.string(), text: z.string().optional() }).parse(req.body);
    // The bot answers no invoke (no cards with actions, sign-in or message extensions): refused here
    // as the caller's mistake, where the SDK would answer 501 Not Implemented.
    if (type === 'invoke') return sendError(res, 400, codeFor(400), 'this bot handles no invoke activities');
    if (text !== undefined) req.body.text = cleanText(text);
    if (deps.mode === 'open-development' && !isLoopbackServiceUrl(serviceUrl)) {
      return sendError(res, 400, codeFor(400), 'without MicrosoftAppId the serviceUrl must be on this machine (localhost or 127.0.0.1)');
    }
    const held = new HeldResponse();
    await deps.adapter.process(req, held, deps.logic);
    const status = held.statusCode;
    if (status === 401) return sendError(res, 401, codeFor(401), 'the channel token was not accepted');
    if (status >= 500) {
      deps.logger.error('/api/messages failed', { status, channel: req.body.channelId, activityType: req.body.type });
      return sendError(res, 500, codeFor(500), 'something went wrong; please try again');
    }
    if (status >= 400) return sendError(res, status, codeFor(status), 'the activity was refused');
    if (held.body === undefined || held.body === null) return void res.status(status).end();
    res.status(status).json(held.body);
  });
  return router;
}
