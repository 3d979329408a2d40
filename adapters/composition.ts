import type { Server } from 'node:http';
import { ConversationState, type CloudAdapter, type TurnContext } from 'botbuilder';
import { CareersBot, BOT_ANSWER_IDS } from '../bot/careersBot';
import { clockStartingAt, systemClock } from '../bot/clock';
import { EtagCarryingStorage } from '../bot/etagScope';
import type { Clock, Logger, Stores } from '../bot/ports';
import { createTurnErrorHandler } from '../bot/turnErrorHandler';
import { loadContent, type Content } from '../knowledge/loadContent';
import { loadLexicon } from '../knowledge/loadLexicon';
import { loadCalendar } from '../knowledge/loadCalendar';
import { loadSchools } from '../knowledge/loadSchools';
import { SchoolDirectory } from '../bot/schools/schoolDirectory';
import { TranscriptRecorder } from '../bot/transcriptRecorder';
import { botFrameworkMode, createBotFrameworkRouter, createCloudAdapter, type BotFrameworkMode } from './botframework/botFrameworkEndpoint';
import { ConfigError, type Config } from './config/config';
import { ActivityStream } from './directline/activityStream';
import { DirectLineConversations } from './directline/conversations';
import { DirectLineAdapter } from './directline/directLineAdapter';
import { createDirectLineRouter } from './directline/directLineRouter';
import { resolveTokenKey } from './directline/tokenKey';
import { TokenSigner } from './directline/tokens';
import { createApp } from './http/app';
import { createMemoryStores } from './memory/memoryStores';
import { createRedisStores } from './redis/redisStores';
import { createWebRouter } from './web/webRouter';
import { AdviserAccounts } from './adviser/accounts';
import { createAdviserRouter } from './adviser/adviserRouter';
import { createConsolePageRouter } from './adviser/consolePage';
import { LoginThrottle } from './adviser/loginThrottle';
import { PupilMessenger } from './adviser/pupilMessenger';
import { AdviserSessions } from './adviser/sessions';
import type { Express } from 'express';

export interface Runtime {
  app: Express;
  stores: Stores;
  content: Content;
  botFramework: BotFrameworkMode;
  /** Adds the WebSocket stream to a listening server. */
  attach(server: Server): void;
  close(): Promise<void>;
}

export function createStores(config: Config, logger: Logger): Stores {
  return config.REDIS_URL
    ? createRedisStores({ url: config.REDIS_URL, keyPrefix: config.REDIS_KEY_PREFIX, retentionDays: config.RETENTION_DAYS, logger })
    : createMemoryStores({ retentionDays: config.RETENTION_DAYS });
}

/** The one composition root: wires real pieces from config. Tests may pass their own stores. */
export async function createRuntime(config: Config, logger: Logger, given?: { stores?: Stores; clock?: Clock }): Promise<Runtime> {
  const content = loadContent(undefined, BOT_ANSWER_IDS);
  const lexicon = loadLexicon();
  const calendar = loadCalendar(config.TERM_CALENDAR_FILE);
  const schools = new SchoolDirectory(loadSchools(config.SCHOOLS_FILE, calendar));
  const strangers = config.ADVISER_SCHOOLS.filter((id) => id !== '*' && !schools.get(id));
  if (strangers.length > 0) throw new ConfigError(`Invalid configuration: ADVISER_SCHOOLS names no school of this deployment (${strangers.join(', ')})`);
  const stores = given?.stores ?? createStores(config, logger);
  const clock = given?.clock ?? (config.BOT_CLOCK ? clockStartingAt(new Date(config.BOT_CLOCK)) : systemClock);

  const conversationState = new ConversationState(new EtagCarryingStorage(stores.state));
  const bot = new CareersBot({ content, lexicon, conversationState, stores, retentionDays: config.RETENTION_DAYS, clock, calendar, schools, logger });
  const transcripts = new TranscriptRecorder(stores.transcripts, logger);
  const logic = (context: TurnContext) => bot.run(context);
  const onTurnError = createTurnErrorHandler(content, logger);

  const key = await resolveTokenKey({ signingKey: config.TOKEN_SIGNING_KEY, directLineSecret: config.DIRECTLINE_SECRET }, stores.secrets);
  const signer = new TokenSigner(key, config.DIRECTLINE_TOKEN_TTL_SECONDS);
  const directLine = new DirectLineAdapter(stores.conversations, clock);
  directLine.onTurnError = onTurnError;
  directLine.use(transcripts);
  const conversations = new DirectLineConversations(stores.conversations, signer, clock);
  const stream = new ActivityStream(stores.conversations, signer, logger);

  const routers = [
    { path: '/', router: createWebRouter(conversations, schools) },
    {
      path: '/v3/directline',
      router: createDirectLineRouter({ adapter: directLine, log: stores.conversations, signer, conversations, logic, secret: config.DIRECTLINE_SECRET }),
    },
  ];
  const botFramework = botFrameworkMode(config);
  let cloud: { adapter: CloudAdapter; appId: string } | undefined;
  if (botFramework !== 'off') {
    const cloudAdapter = createCloudAdapter(config);
    cloudAdapter.onTurnError = onTurnError;
    cloudAdapter.use(transcripts);
    routers.push({ path: '/', router: createBotFrameworkRouter(cloudAdapter, logic) });
    cloud = { adapter: cloudAdapter, appId: config.MicrosoftAppId ?? '' };
  }

  const accounts = new AdviserAccounts(stores.keyValue);
  if (config.ADVISER_USERNAME && config.ADVISER_PASSWORD) await accounts.upsert(config.ADVISER_USERNAME.toLowerCase(), config.ADVISER_PASSWORD, config.ADVISER_SCHOOLS);
  const idleMs = config.ADVISER_IDLE_MINUTES * 60_000;
  routers.push(
    {
      path: '/api/adviser',
      router: createAdviserRouter({
        accounts,
        sessions: new AdviserSessions(stores.keyValue, idleMs),
        throttle: new LoginThrottle(stores.keyValue),
        queue: stores.queue,
        transcripts: stores.transcripts,
        keyValue: stores.keyValue,
        messenger: new PupilMessenger(bot.references, directLine, cloud),
        content,
        retentionDays: config.RETENTION_DAYS,
        idleMs,
        now: () => clock.now(),
        logger,
        schools,
        insights: bot.insights,
        insightsStore: stores.insights,
      }),
    },
    { path: '/adviser', router: createConsolePageRouter() },
  );

  const app = createApp({ stores, logger, routers });
  return {
    app,
    stores,
    content,
    botFramework,
    attach: (server) => stream.attach(server),
    close: async () => {
      bot.handoffQueue.close();
      await stream.close();
      await stores.close();
    },
  };
}
