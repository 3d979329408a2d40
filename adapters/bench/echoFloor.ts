import { createServer } from 'node:http';
import { ActivityHandler, ConversationState, type TurnContext } from 'botbuilder';
import { systemClock } from '../../bot/clock';
import { EtagCarryingStorage } from '../../bot/etagScope';
import { DirectLineConversations } from '../directline/conversations';
import { DirectLineAdapter } from '../directline/directLineAdapter';
import { createDirectLineRouter, directLineLimits } from '../directline/directLineRouter';
import { FallbackConversationLog } from '../directline/fallbackConversationLog';
import { TokenKeys } from '../directline/tokenKey';
import { TokenSigner } from '../directline/tokens';
import { loadConfig } from '../config/config';
import { createApp } from '../http/app';
import { createLogger } from '../logging/logger';
import { createRedisStores } from '../redis/redisStores';
import { errorMessage } from '../../bot/errorMessage';

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
  const secret = required('DIRECTLINE_SECRET');
  const config = loadConfig(process.env);
  const stores = createRedisStores({ url: required('REDIS_URL'), keyPrefix: config.REDIS_KEY_PREFIX, retentionDays: config.RETENTION_DAYS, logger });
  const state = new ConversationState(new EtagCarryingStorage(stores.state));
  const bot = new EchoBot(state);
  // Wired as adapters/composition.ts wires the careers bot's web chat channel.
  const keys = new TokenKeys({ directLineSecret: secret }, stores.secrets);
  await keys.start();
  const signer = new TokenSigner(keys, 1800);
  const log = new FallbackConversationLog(stores.conversations, logger);
  const adapter = new DirectLineAdapter(log, systemClock);
  const conversations = new DirectLineConversations(log, signer, systemClock, keys);
  const limits = directLineLimits(config);
  const router = createDirectLineRouter({ adapter, log, signer, conversations, logic: (context) => bot.run(context), secret, limits });
  const app = createApp({ stores, logger, routers: [{ path: '/v3/directline', router }] });
  const server = createServer(app).listen(config.PORT);
  process.on('SIGTERM', () => server.close(() => stores.close().finally(() => process.exit(0))));
}

main().catch((error: unknown) => {
  process.stderr.write(`echo floor failed: ${errorMessage(error)}\n`);
  process.exit(1);
});
