import { createServer } from 'node:http';
import { ActivityHandler, ConversationState, type TurnContext } from 'botbuilder';
import { systemClock } from '../bot/clock';
import { loadConfig } from '../adapters/config/config';
import { createDirectLineChannel } from '../adapters/directline/directLineChannel';
import { createApp } from '../adapters/http/app';
import { createLogger } from '../adapters/logging/logger';
import { createRedisStores } from '../adapters/redis/redisStores';
import { redisTargetOf } from '../adapters/redis/connection';
import { errorMessage } from '../bot/errorMessage';

/**
 * The benchmark's floor: a bare botbuilder echo bot with the same Redis-backed stores behind the
 * same Direct Line endpoint and express app as the careers bot. Each turn reads and saves
 * conversation state (a turn counter) and echoes the text, so what separates the two figures
 * is the careers bot's own work: triage, routing, dialogs and the transcript.
 */
class EchoBot extends ActivityHandler {
  constructor(private readonly state: ConversationState) {
    super();
    const turns = state.createProperty<number>('turns');
    this.onMembersAdded(async (context, next) => {
      await context.sendActivity('Hello, I echo what you say.');
      await next();
    });
    this.onMessage(async (context, next) => {
      const count = (await turns.get(context, 0)) + 1;
      await turns.set(context, count);
      await context.sendActivity(`echo ${count}: ${context.activity.text ?? ''}`);
      await next();
    });
  }

  override async run(context: TurnContext): Promise<void> {
    await super.run(context);
    await this.state.saveChanges(context, false);
  }
}

function required(name: string): string {
  const value = process.env[name];
  if (!value) {
    process.stderr.write(`echo floor: ${name} is required\n`);
    process.exit(1);
  }
  return value;
}

async function main(): Promise<void> {
  const logger = createLogger('warn');
  required('DIRECTLINE_SECRET'); // the benchmark's pupils start conversations with it
  const config = loadConfig(process.env);
  const redis = redisTargetOf(config);
  if (!redis) {
    process.stderr.write('echo floor: REDIS_URL or REDIS_CLUSTER_NODES is required\n');
    process.exit(1);
  }
  const stores = createRedisStores({ ...redis, keyPrefix: config.REDIS_KEY_PREFIX, retentionDays: config.RETENTION_DAYS, logger });
  const state = new ConversationState(stores.state);
  const bot = new EchoBot(state);
  // The same web chat channel as the careers bot's (adapters/composition.ts).
  const channel = await createDirectLineChannel(config, stores, systemClock, logger);
  const router = channel.router((context) => bot.run(context));
  const app = createApp({ stores, logger, routers: [{ path: '/v3/directline', router }] });
  const server = createServer(app).listen(config.PORT);
  process.on('SIGTERM', () => server.close(() => stores.close().finally(() => process.exit(0))));
}

main().catch((error: unknown) => {
  process.stderr.write(`echo floor failed: ${errorMessage(error)}\n`);
  process.exit(1);
});
