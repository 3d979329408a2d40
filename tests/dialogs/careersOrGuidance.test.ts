import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { TestAdapter, type Activity } from 'botbuilder';
import { z } from 'zod';
import { createMemoryStores } from '../../adapters/memory/memoryStores';
import { CareersBot } from '../../bot/careersBot';
import { clockStartingAt } from '../../bot/clock';
import { OptimisticConversationState } from '../../bot/optimisticConversationState';
import type { Logger } from '../../bot/ports';
import { CareerMatcher } from '../../dialogs/careerMatcher';
import { CareerAspect } from '../../knowledge/careerTalkSchema';
import { loadCalendar } from '../../knowledge/loadCalendar';
import { loadLexicon } from '../../knowledge/loadLexicon';
import { answerIdOf, careers, content, reading } from './dialogHarness';

/**
 * The routing tables test the answer router alone. About one in ten of their messages also names
 * a job (or asks for jobs), so the whole bot decides between the guidance answer and the careers
 * answer (MessageReader's rule). This table says, for each of them, which the pupil gets.
 */
const Decision = z
  .object({
    text: z.string(),
    answer: z.string().optional(),
    career: z.string().optional(),
    aspect: CareerAspect.optional(),
    interests: z.array(z.string()).optional(),
    explore: z.boolean().optional(),
  })
  .refine((row) => [row.answer, row.career, row.interests, row.explore].filter((value) => value !== undefined).length === 1, 'a row needs one of answer, career (with aspect), interests or explore');
const table = z.array(Decision).parse(JSON.parse(readFileSync(path.join(__dirname, '..', 'careers', 'cases', 'careersOrGuidance.json'), 'utf8')));

const routingDir = path.join(__dirname, '..', 'routing', 'cases');
const routingTexts = [
  ...new Set(
    readdirSync(routingDir).flatMap((file) =>
      z
        .array(z.object({ text: z.string() }))
        .parse(JSON.parse(readFileSync(path.join(routingDir, file), 'utf8')))
        .map((c) => c.text),
    ),
  ),
];

const quiet: Logger = { debug: () => undefined, info: () => undefined, warn: () => undefined, error: () => undefined };
const stores = createMemoryStores({ retentionDays: 1 });
const bot = new CareersBot({
  content,
  careers,
  lexicon: loadLexicon(),
  conversationState: new OptimisticConversationState(stores.state),
  stores,
  retentionDays: 30,
  clock: clockStartingAt(new Date('2026-11-23T10:00:00Z')),
  calendar: loadCalendar(undefined),
  logger: quiet,
});
afterAll(() => bot.handoffQueue.close());

let conversations = 0;
/** A new conversation with the whole bot: `say` returns the bot's replies to a message. */
function conversation(): { say(text: string): Promise<Partial<Activity>[]> } {
  conversations += 1;
  const adapter = new TestAdapter((context) => bot.run(context), TestAdapter.createConversation(`decision-${conversations}`));
  return {
    say: async (text) => {
      await adapter.send(text);
      return adapter.activeQueue.splice(0);
    },
  };
}
const firstReplies = (text: string) => conversation().say(text);
const careerText = (id: string, aspect: CareerAspect) => reading.careerAnswers.answerFor(careers.profile(id), aspect);

describe('routing cases that also name a job, through the whole bot', () => {
  it('the table decides every routing case the careers matcher also reads', () => {
    const matcher = new CareerMatcher(careers, { spellings: content.spellings, keepWords: content.keepWords, knownWords: reading.router.folder.words() });
    const readByCareers = routingTexts.filter((text) => matcher.match(text).kind !== 'none');
    expect(readByCareers.length).toBeGreaterThan(30);
    expect(readByCareers.filter((text) => !table.some((row) => row.text === text))).toEqual([]);
  });

  it.each(table.map((row) => [row.text, row.answer ?? row.career ?? (row.interests ? `interests ${row.interests.join(', ')}` : 'explorer'), row] as const))('%j → %s', async (text, _shown, row) => {
    const replies = await firstReplies(text);
    const last = replies[replies.length - 1];
    if (row.answer) expect(replies.map(answerIdOf)).toContain(row.answer);
    else if (row.career) expect(last?.text).toBe(reading.careerAnswers.answerFor(careers.profile(row.career), row.aspect ?? careers.language.defaultAspect));
    else if (row.interests) expect(last?.text).toBe(reading.careerAnswers.interestAnswer(row.interests.map((id) => careers.interest(id))));
    else expect(last?.text).toBe(reading.careerAnswers.exploreStart());
  });
});

describe('a careers question together with something else, through the whole bot', () => {
  it('a wish to be a job with a circumstance triage reads gets the job, and the triage acknowledgement and offer', async () => {
    const replies = await firstReplies("I'm in care and I want to be a social worker");
    expect(replies[0].text).toBe(careerText('social-worker', 'routes'));
    expect(replies[1].text).toContain(content.answer('triage.ack.looked-after').text);
    expect(answerIdOf(replies[2])).toBe('triage.offer');
  });

  it('a young carer asking for jobs is asked about jobs, not taken for wanting to be a carer', async () => {
    const [reply] = await firstReplies("I'm a young carer, what jobs can I do if I like helping people");
    expect(reply.text).toBe(reading.careerAnswers.interestAnswer([careers.interest('helping-people')]));
  });

  it("a yes or no to the bot's question that also asks something new gets both", async () => {
    const chat = conversation();
    expect((await chat.say('i feel so alone')).map(answerIdOf)).toContain('triage.offer');
    const replies = await chat.say('no, how do I become a nurse');
    expect(replies.map((reply) => reply.text)).toEqual([content.answer('handoff.declined').text, careerText('adult-nurse', 'routes')]);
  });

  it('a plain yes or no is only the answer', async () => {
    const chat = conversation();
    await chat.say('i feel so alone');
    expect((await chat.say('no thanks')).map((reply) => reply.text)).toEqual([content.answer('handoff.declined').text]);
  });
});
