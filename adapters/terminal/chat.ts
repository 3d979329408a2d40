import { createInterface } from 'node:readline/promises';
import type { Activity } from 'botbuilder';
import { CareersBot, BOT_ANSWER_IDS } from '../../bot/careersBot';
import { clockStartingAt, systemClock } from '../../bot/clock';
import { OptimisticConversationState } from '../../bot/optimisticConversationState';
import { TurnCommitMiddleware } from '../../bot/turnCommit';
import { createTurnErrorHandler } from '../../bot/turnErrorHandler';
import { loadContent } from '../../knowledge/loadContent';
import { loadLexicon } from '../../knowledge/loadLexicon';
import { loadCalendar } from '../../knowledge/loadCalendar';
import { loadConfig } from '../config/config';
import { createLogger } from '../logging/logger';
import { createMemoryStores } from '../memory/memoryStores';
import { TerminalAdapter } from './terminalAdapter';
import { errorMessage } from '../../bot/errorMessage';

function show(activity: Partial<Activity>): void {
  const lines = [`bot> ${activity.text ?? ''}`];
  const buttons = activity.suggestedActions?.actions.map((action) => `[${action.title}]`) ?? [];
  if (buttons.length > 0) lines.push(`     ${buttons.join(' ')}`);
  process.stdout.write(`${lines.join('\n')}\n`);
}

/** `npm run chat`: the same bot in a terminal, on in-process stores. Type "quit" to leave. */
async function main(): Promise<void> {
  const config = loadConfig(process.env);
  const content = loadContent(undefined, BOT_ANSWER_IDS);
  const stores = createMemoryStores({ retentionDays: config.RETENTION_DAYS });
  const clock = config.BOT_CLOCK ? clockStartingAt(new Date(config.BOT_CLOCK)) : systemClock;
  const logger = createLogger('warn', (line) => process.stderr.write(line));
  const conversationState = new OptimisticConversationState(stores.state);
  const bot = new CareersBot({ content, lexicon: loadLexicon(), conversationState, stores, retentionDays: config.RETENTION_DAYS, clock, calendar: loadCalendar(config.TERM_CALENDAR_FILE), logger });
  const adapter = new TerminalAdapter(show);
  adapter.onTurnError = createTurnErrorHandler(content, logger);
  adapter.use(new TurnCommitMiddleware(stores.commits));
  const logic = (context: Parameters<typeof bot.run>[0]) => bot.run(context);

  await adapter.start(logic);
  const terminal = createInterface({ input: process.stdin, output: process.stdout, terminal: process.stdin.isTTY });
  for await (const line of terminal) {
    if (line.trim().toLowerCase() === 'quit') break;
    if (line.trim()) await adapter.say(line, logic);
  }
  terminal.close();
  bot.handoffQueue.close();
  await stores.close();
}

main().catch((error: unknown) => {
  process.stderr.write(`${errorMessage(error)}\n`);
  process.exit(1);
});
