import type { TurnContext } from 'botbuilder';
import type { Clock, Logger, Stores } from '../../bot/ports';
import type { Config } from '../config/config';
import { DirectLineConversations } from './conversations';
import { DirectLineAdapter } from './directLineAdapter';
import { createDirectLineRouter, directLineLimits, type DirectLineLimits } from './directLineRouter';
import { FallbackConversationLog } from '../fallbackConversationLog';
import { TokenKeys } from './tokenKey';
import { TokenSigner } from './tokens';

export interface DirectLineChannel {
  keys: TokenKeys;
  signer: TokenSigner;
  log: FallbackConversationLog;
  adapter: DirectLineAdapter;
  conversations: DirectLineConversations;
  /** counted in the stores: shared by every instance on one Redis */
  limits: DirectLineLimits;
  /** The `/v3/directline` router running `logic` for each turn. */
  router(logic: (context: TurnContext) => Promise<void>): ReturnType<typeof createDirectLineRouter>;
}

/**
 * The web chat channel's parts, wired one way for the careers bot and for the benchmark's echo
 * floor alike: token keys (from config or the shared store), the conversation log with its way
 * through a store outage, the adapter, conversations, rate limits and the router.
 */
export async function createDirectLineChannel(config: Config, stores: Pick<Stores, 'conversations' | 'secrets' | 'commits' | 'rateLimits'>, clock: Clock, logger: Logger): Promise<DirectLineChannel> {
  const keys = new TokenKeys({ signingKey: config.TOKEN_SIGNING_KEY, directLineSecret: config.DIRECTLINE_SECRET }, stores.secrets);
  await keys.start();
  const signer = new TokenSigner(keys, config.DIRECTLINE_TOKEN_TTL_SECONDS);
  const log = new FallbackConversationLog(stores.conversations, logger);
  const adapter = new DirectLineAdapter(log, stores.commits, clock);
  const conversations = new DirectLineConversations(log, signer, clock, keys);
  const limits = directLineLimits(config, stores.rateLimits);
  return {
    keys,
    signer,
    log,
    adapter,
    conversations,
    limits,
    router: (logic) => createDirectLineRouter({ adapter, log, signer, conversations, logic, secret: config.DIRECTLINE_SECRET, limits }),
  };
}
