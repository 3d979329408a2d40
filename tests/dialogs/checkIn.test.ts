import { TestAdapter, type Activity } from 'botbuilder';
import { createMemoryStores } from '../../adapters/memory/memoryStores';
import { BOT_ANSWER_IDS, CareersBot } from '../../bot/careersBot';
import { clockStartingAt } from '../../bot/clock';
import { OptimisticConversationState } from '../../bot/optimisticConversationState';
import type { Logger } from '../../bot/ports';
import { loadCalendar } from '../../knowledge/loadCalendar';
import { loadContent } from '../../knowledge/loadContent';
import { loadLexicon } from '../../knowledge/loadLexicon';
import { answerIdOf, buttonsOf, content, dialogHarness } from './dialogHarness';

const topicLabels = content.topics.map((topic) => topic.label);

describe('a message the bot cannot place that sounds upset', () => {
  it('gets a check-in with people to talk to and the topics, not "try different words"', async () => {
    const harness = dialogHarness();
    const [reply] = await harness.say('honestly im just so sad and lonley');
    expect(answerIdOf(reply)).toBe('dialog.check-in');
    expect(buttonsOf(reply)).toEqual(topicLabels);
  });

  it.each(['no one is here', 'i cant cope', 'nobody cares about me', 'been crying all day', 'i hate my life', 'everything is going wrong', 'im so stressed out', 'feeling really low tbh'])(
    '%j gets the check-in',
    async (text) => {
      expect(await dialogHarness().sayIds(text)).toEqual(['dialog.check-in']);
    },
  );

  it('names its contacts by fact, and states them as the facts do, promising nothing', () => {
    const checkIn = content.answer('dialog.check-in');
    expect(checkIn.facts).toEqual(expect.arrayContaining(['contact.childline', 'contact.shout']));
    expect(checkIn.text).toContain('0800 1111');
    expect(checkIn.text).toContain('85258');
    expect(checkIn.text).not.toMatch(/confidential|secret|private|I'll tell|I've asked|will contact you/i);
  });

  it("inside a topic keeps that topic's buttons, and the topic carries on", async () => {
    const harness = dialogHarness();
    const [overview] = await harness.say('Apprenticeships');
    const [reply] = await harness.say('im feeling so overwhelmed');
    expect(answerIdOf(reply)).toBe('dialog.check-in');
    expect(buttonsOf(reply)).toEqual(buttonsOf(overview));
    expect(await harness.sayIds('back')).toEqual(['menu.prompt']);
  });

  it('is neither a miss nor an understood message: it leaves the count of misses alone', async () => {
    const harness = dialogHarness();
    expect(await harness.sayIds('qwxz zzvb')).toEqual(['dialog.rephrase']);
    expect(await harness.sayIds('i feel so alone')).toEqual(['dialog.check-in']);
    expect((await harness.data()).notUnderstoodInARow).toBe(1);
    expect((await harness.data()).flags).toEqual([]);
  });

  it.each(['im not sad, just confused', 'qwxz zzvb', 'my phone is broken'])('%j is only not understood: it gets the rephrase prompt', async (text) => {
    expect(await dialogHarness().sayIds(text)).toEqual(['dialog.rephrase']);
  });

  it('a careers question with a worried word in it is still answered, not checked in on', async () => {
    const harness = dialogHarness();
    const [reply] = await harness.sayIds('im worried about what a levels to pick');
    expect(reply).not.toBe('dialog.check-in');
    expect(reply).not.toBe('dialog.rephrase');
  });
});

describe('the check-in through the whole bot', () => {
  const quiet: Logger = { debug: () => undefined, info: () => undefined, warn: () => undefined, error: () => undefined };
  const fullContent = loadContent(undefined, BOT_ANSWER_IDS);

  function bot(): TestAdapter {
    const stores = createMemoryStores({ retentionDays: 1 });
    const careersBot = new CareersBot({
      content: fullContent,
      lexicon: loadLexicon(),
      conversationState: new OptimisticConversationState(stores.state),
      stores,
      retentionDays: 30,
      clock: clockStartingAt(new Date('2026-11-23T10:00:00Z')),
      calendar: loadCalendar(undefined),
      logger: quiet,
    });
    return new TestAdapter((context) => careersBot.run(context));
  }
  const texts = async (adapter: TestAdapter, text: string) => {
    await adapter.send(text);
    return adapter.activeQueue.splice(0).map((activity: Partial<Activity>) => activity.text);
  };

  it('after the pupil says no to an adviser for feeling low, feeling low again gets the check-in', async () => {
    const adapter = bot();
    const first = await texts(adapter, 'i feel so alone');
    expect(first).toContain(fullContent.answer('triage.offer').text);
    expect(await texts(adapter, 'no')).toEqual([fullContent.answer('handoff.declined').text]);
    expect(await texts(adapter, 'i feel so alone and sad')).toEqual([fullContent.answer('dialog.check-in').text]);
  });
});
