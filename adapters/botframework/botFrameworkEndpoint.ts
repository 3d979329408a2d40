import express, { type Router } from 'express';
import { CloudAdapter, type TurnContext } from 'botbuilder';
import { runInEtagScope } from '../../bot/etagScope';
import type { Config } from '../config/config';
import { ChannelAuthentication } from '../teams/channelAuthentication';
import { ProactiveDelivery } from '../teams/proactiveDelivery';
import { TeamsReplyShaper } from '../teams/teamsReplies';

export type BotFrameworkMode = 'authenticated' | 'open-development' | 'off';

/**
 * With MicrosoftAppId set, every activity must carry a valid channel token. With none, the
 * endpoint is open only outside production: an open endpoint would send replies to any
 * serviceUrl a stranger names, so in production it is switched off.
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

/** POST /api/messages: the Bot Framework messaging endpoint (Teams and other channels). */
export function createBotFrameworkRouter(adapter: CloudAdapter, logic: (context: TurnContext) => Promise<void>): Router {
  const router = express.Router();
  router.post('/api/messages', express.json({ limit: '64kb' }), async (req, res) => {
    await adapter.process(req, res, (context) => runInEtagScope(() => logic(context)));
  });
  return router;
}
