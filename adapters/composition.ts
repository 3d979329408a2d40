import type { Server } from 'node:http';
import { Channels, type CloudAdapter, type TurnContext } from 'botbuilder';
import { CareersBot, BOT_ANSWER_IDS } from '../bot/careersBot';
import { clockStartingAt, systemClock } from '../bot/clock';
import { OptimisticConversationState } from '../bot/optimisticConversationState';
import { TurnCommitMiddleware } from '../bot/turnCommit';
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
import { createDirectLineChannel } from './directline/directLineChannel';
import { createApp } from './http/app';
import { createMemoryStores } from './memory/memoryStores';
import { createRedisStores } from './redis/redisStores';
import { redisTargetOf } from './redis/connection';
import { createWebRouter } from './web/webRouter';
import { isStoreUnavailable } from './storeUnavailable';
import { AdviserAccounts } from './adviser/accounts';
import { createAdviserRouter } from './adviser/adviserRouter';
import { createConsolePageRouter } from './adviser/consolePage';
import { LoginThrottle } from './adviser/loginThrottle';
import { PupilMessenger } from './adviser/pupilMessenger';
import { AdviserSessions } from './adviser/sessions';
import type { Express } from 'express';
import { errorMessage } from '../bot/errorMessage';
import { alertReceivers, createSafeguardingAlerts, type AlertsRuntime, type AlertsRuntimeOptions } from './alerts/safeguardingAlertsRuntime';
import { ADVISER_ACTION_ANSWER_IDS } from '../bot/handoff/adviserActions';
import { HANDOFF_WORDING_ANSWER_IDS } from '../bot/handoff/handoffWording';
import { PresenceBoard } from '../bot/handoff/presenceBoard';
import { SavedReplies } from '../bot/handoff/savedReplies';
import { FEEDBACK_ANSWER_IDS, PupilFeedback } from '../bot/feedback/pupilFeedback';
import { loadSavedReplies } from '../knowledge/loadSavedReplies';

export interface Runtime {
  app: Express;
  stores: Stores;
  content: Content;
  botFramework: BotFrameworkMode;
  /** safeguarding alerts, when a receiver is configured */
  alerts?: AlertsRuntime;
  /** Adds the WebSocket stream to a listening server. */
  attach(server: Server): void;
  /** For a clean shutdown: closes the streams and waits (at most `ms`) for the turns in progress. */
  drain(ms?: number): Promise<void>;
  close(): Promise<void>;
}

export function createStores(config: Config, logger: Logger): Stores {
  const redis = redisTargetOf(config);
  return redis ? createRedisStores({ ...redis, keyPrefix: config.REDIS_KEY_PREFIX, retentionDays: config.RETENTION_DAYS, logger }) : createMemoryStores({ retentionDays: config.RETENTION_DAYS });
}

/** Waits a little for the store (its client has just begun to connect), never failing start-up. */
async function storeAnswers(stores: Stores, withinMs: number): Promise<boolean> {
  const deadline = Date.now() + withinMs;
  for (;;) {
    if (
      await stores.ping().then(
        () => true,
        () => false,
      )
    )
      return true;
    if (Date.now() > deadline) return false;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/**
 * Runs `work` once and, while the store is down, again every few seconds in the background
 * (start-up writes); resolves after the first attempt, so a store that answers is written at once.
 */
function untilDone(work: () => Promise<unknown>, what: string, logger: Logger): Promise<void> {
  const attempt = (): Promise<void> =>
    work().then(
      () => undefined,
      (error: unknown) => {
        const message = errorMessage(error);
        if (!isStoreUnavailable(error)) return logger.error(`${what} failed`, { error: message });
        logger.warn(`${what} failed; retrying`, { error: message });
        setTimeout(() => void attempt(), 5000).unref();
      },
    );
  return attempt();
}

/**
 * The one composition root: wires real pieces from config. Tests may pass their own stores.
 * It never waits for Redis for long: if the store is down the process starts anyway, /readyz
 * says 503, pupils get the safe reply, and everything recovers when the store is back.
 */
export async function createRuntime(config: Config, logger: Logger, given?: { stores?: Stores; clock?: Clock; alerts?: AlertsRuntimeOptions }): Promise<Runtime> {
  const content = loadContent(undefined, [...BOT_ANSWER_IDS, ...HANDOFF_WORDING_ANSWER_IDS, ...ADVISER_ACTION_ANSWER_IDS, ...FEEDBACK_ANSWER_IDS]);
  const seedReplies = loadSavedReplies(content);
  const lexicon = loadLexicon();
  const calendar = loadCalendar(config.TERM_CALENDAR_FILE);
  const schools = new SchoolDirectory(loadSchools(config.SCHOOLS_FILE, calendar));
  const strangers = config.ADVISER_SCHOOLS.filter((id) => id !== '*' && !schools.get(id));
  if (strangers.length > 0) throw new ConfigError(`Invalid configuration: ADVISER_SCHOOLS names no school of this deployment (${strangers.join(', ')})`);
  const receivers = alertReceivers(config, schools);
  const stores = given?.stores ?? createStores(config, logger);
  const clock = given?.clock ?? (config.BOT_CLOCK ? clockStartingAt(new Date(config.BOT_CLOCK)) : systemClock);

  const botFramework = botFrameworkMode(config);
  const onTurnError = createTurnErrorHandler(content, logger);
  const cloudAdapter = botFramework === 'off' ? undefined : createCloudAdapter(config, onTurnError, logger);
  const alerts = createSafeguardingAlerts(config, { stores, queue: stores.queue, schools, clock, logger }, given?.alerts);
  // Every hand-off request reaches the queue through the bot's stores: with alerts on, an urgent one raises an alert there.
  const botStores: Stores = alerts ? { ...stores, queue: alerts.queue } : stores;

  const awayAfterMs = config.ADVISER_AWAY_AFTER_MINUTES * 60_000;
  const presence = new PresenceBoard(stores.keyValue, awayAfterMs, () => clock.now());
  const conversationState = new OptimisticConversationState(stores.state);
  const bot = new CareersBot({
    content,
    lexicon,
    conversationState,
    stores: botStores,
    retentionDays: config.RETENTION_DAYS,
    clock,
    calendar,
    schools,
    logger,
    // The crisis reply says an on-call alert went out only where one does (the school's receiver, or the deployment's).
    onCallAlerts: (schoolId) => Boolean(schoolId ? receivers?.receiverFor(schoolId) : receivers?.global),
    // Agent hubs listen on Bot Framework channels; not in the pupil's own web chat, nor in Teams.
    agentHubListens: (context) => cloudAdapter !== undefined && context.adapter === cloudAdapter && context.activity.channelId !== Channels.Msteams,
    presence,
  });
  const transcripts = new TranscriptRecorder(stores.transcripts, clock, logger);
  // Thumbs come from Web Chat only: the school is the web chat conversation's (its address, or the default).
  const webChatSchool = async (conversationId: string) => {
    const meta = await stores.conversations.getMeta(conversationId);
    return (meta?.school ? schools.get(meta.school) : schools.defaultSchool)?.id;
  };
  // Ahead of the transcript: a face pressed is counted, never kept with the conversation.
  const feedback = new PupilFeedback({ content, careers: bot.careers, keyValue: stores.keyValue, insights: bot.insights, schoolOf: webChatSchool, retentionDays: config.RETENTION_DAYS, logger });
  const logic = (context: TurnContext) => bot.run(context);

  if (!(await storeAnswers(stores, 2000))) logger.warn('the store is not answering; starting anyway (degraded until it does)', { storage: stores.kind });
  const channel = await createDirectLineChannel(config, stores, clock, logger);
  const { keys, log, signer, conversations, limits, adapter: directLine } = channel;
  directLine.onTurnError = onTurnError;
  directLine.use(feedback, transcripts);
  const stream = new ActivityStream(log, signer, logger, limits);
  // Direct Line first: every pupil's message and poll comes through it, and a router mounted at
  // '/' ahead of it would be walked, route by route, on each of those requests.
  const routers = [
    { path: '/v3/directline', router: channel.router(logic) },
    {
      path: '/',
      router: createWebRouter(conversations, schools, limits.conversations, {
        content,
        retentionDays: config.RETENTION_DAYS,
        startConversation: (conversationId, userId) => directLine.start(conversationId, userId, logic),
      }),
    },
  ];
  let cloud: { adapter: CloudAdapter; appId: string } | undefined;
  if (cloudAdapter && botFramework !== 'off') {
    // Each turn's unit of work first: the transcript recorder and the bot's state commit through it.
    cloudAdapter.use(new TurnCommitMiddleware(stores.commits), feedback, transcripts);
    routers.push({ path: '/', router: createBotFrameworkRouter({ adapter: cloudAdapter, logic, mode: botFramework }) });
    cloud = { adapter: cloudAdapter, appId: config.MicrosoftAppId ?? '' };
  }

  const accounts = new AdviserAccounts(stores.keyValue);
  const { ADVISER_USERNAME: adviser, ADVISER_PASSWORD: password } = config;
  if (adviser && password) await untilDone(() => accounts.upsert(adviser.toLowerCase(), password, config.ADVISER_SCHOOLS), 'saving the adviser account', logger);
  const idleMs = config.ADVISER_IDLE_MINUTES * 60_000;
  const adviserApi = createAdviserRouter({
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
    presence,
    awayAfterMs,
    savedReplies: new SavedReplies(stores.keyValue, seedReplies, () => clock.now()),
    feedback,
    alertStats: alerts?.stats,
  });
  routers.push({ path: '/api/adviser', router: adviserApi.router }, { path: '/adviser', router: createConsolePageRouter() });

  const app = createApp({ stores, logger, routers });
  alerts?.start();
  return {
    app,
    stores,
    content,
    botFramework,
    alerts,
    attach: (server) => stream.attach(server),
    drain: async (ms = 8000) => {
      adviserApi.events.close();
      await stream.close();
      let timer: NodeJS.Timeout | undefined;
      const late = new Promise<void>((resolve) => (timer = setTimeout(resolve, ms)));
      await Promise.race([directLine.drain(), late]).finally(() => clearTimeout(timer));
    },
    close: async () => {
      keys.stopRetrying();
      // One last try for anything still held for the store; what is left is logged as lost.
      await Promise.all([log.flushAll(), bot.handoffQueue.retry()]).catch(() => undefined);
      log.close();
      bot.handoffQueue.close();
      await alerts?.close();
      adviserApi.events.close();
      await stream.close();
      await stores.close();
    },
  };
}
