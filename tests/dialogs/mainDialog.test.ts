import { answerIdOf, buttonsOf, content, dialogHarness } from './dialogHarness';

const topicLabels = content.topics.map((topic) => topic.label);
const overviewOf = (topicId: string) => content.topics.find((topic) => topic.id === topicId)?.answer ?? '';
const label = (id: string) => content.answer(id).title ?? '';

describe('main dialog', () => {
  it.each(content.topics.map((topic) => [topic.label, topic.answer] as const))('the menu button %j opens the topic overview %s', async (text, overview) => {
    const harness = dialogHarness();
    expect(await harness.sayIds(text)).toEqual([overview]);
  });

  it('offers the overview follow-ups as buttons, then Menu', async () => {
    const harness = dialogHarness();
    const [reply] = await harness.say('Apprenticeships');
    const overview = content.answer(overviewOf('apprenticeships'));
    expect(buttonsOf(reply)).toEqual([...(overview.more ? [content.answer('button.more').text] : []), ...overview.followUps.map(label), content.answer('button.menu').text]);
  });

  it('follows a follow-up button, then goes back', async () => {
    const harness = dialogHarness();
    const overview = content.answer(overviewOf('higher-education'));
    await harness.say('University');
    const next = overview.followUps[0];
    expect(await harness.sayIds(label(next))).toEqual([next]);
    expect(await harness.sayIds('back')).toEqual([overview.id]);
  });

  it('"tell me more" shows the continuation of an answer that has one', async () => {
    const withMore = content.allAnswers().find((answer) => answer.topic && answer.more && answer.triggers.length > 0);
    expect(withMore).toBeDefined();
    if (!withMore?.topic || !withMore.more) return;
    const harness = dialogHarness();
    const label = content.topics.find((topic) => topic.id === withMore.topic)?.label ?? '';
    await harness.say(label);
    const shown = await harness.sayIds(withMore.triggers[0]);
    expect(shown).toEqual([withMore.id]);
    expect(await harness.sayIds('tell me more')).toEqual([withMore.more]);
  });

  it('switches topic when the pupil asks about another one mid-dialog', async () => {
    const harness = dialogHarness();
    await harness.say('Apprenticeships');
    const [shown] = await harness.sayIds('how does ucas work');
    expect(content.answer(shown ?? '').topic).toBe('higher-education');
    // and the new topic carries on from there
    const reply = (await harness.say('back'))[0];
    expect(answerIdOf(reply)).toBeDefined();
  });

  it('"menu" inside a topic brings the menu back', async () => {
    const harness = dialogHarness();
    await harness.say('GCSE options');
    const [menu] = await harness.say('menu');
    expect(answerIdOf(menu)).toBe('menu.prompt');
    expect(buttonsOf(menu)).toEqual(topicLabels);
  });

  it('"start again" and "restart" work like menu', async () => {
    const harness = dialogHarness();
    await harness.say('After 16');
    expect(await harness.sayIds('start again')).toEqual(['menu.prompt']);
    await harness.say('After 16');
    expect(await harness.sayIds('restart')).toEqual(['menu.prompt']);
  });

  it('"help" inside a topic explains and repeats where the pupil was', async () => {
    const harness = dialogHarness();
    await harness.say('Getting a job');
    const ids = await harness.sayIds('help');
    expect(ids[0]).toBe('menu.help');
    expect(ids).toHaveLength(2);
  });

  it('a message without text inside a topic gets the answer again, and the topic carries on', async () => {
    const harness = dialogHarness();
    await harness.say('Getting a job');
    expect(await harness.sayIds('')).toEqual([overviewOf('jobs')]);
    expect(await harness.sayIds('back')).toEqual(['menu.prompt']);
  });

  it('"bye" ends the conversation politely and the next message starts afresh', async () => {
    const harness = dialogHarness();
    await harness.say('After 16');
    expect(await harness.sayIds('bye')).toEqual(['menu.goodbye']);
    expect(await harness.sayIds('Apprenticeships')).toEqual([overviewOf('apprenticeships')]);
  });

  it('asks to rephrase, and on the third miss in a row offers an adviser and records not-understood', async () => {
    const harness = dialogHarness();
    expect(await harness.sayIds('qwxz zzvb')).toEqual(['dialog.rephrase']);
    expect(await harness.sayIds('plmk qqqq')).toEqual(['dialog.rephrase']);
    expect((await harness.data()).flags).toEqual([]);
    const [offer] = await harness.say('vvvv xxqq');
    expect(answerIdOf(offer)).toBe('dialog.offer-adviser');
    expect(buttonsOf(offer)).toEqual([content.answer('button.yes').text, content.answer('button.no').text, ...topicLabels]);
    expect((await harness.data()).flags).toEqual(['not-understood']);
    expect(harness.offers.map((made) => made.flags)).toEqual([['not-understood']]);
  });

  it('counts misses inside a topic too, and an understood message resets the count', async () => {
    const harness = dialogHarness();
    await harness.say('University');
    expect(await harness.sayIds('qwxz zzvb')).toEqual(['dialog.rephrase']);
    expect(await harness.sayIds('plmk qqqq')).toEqual(['dialog.rephrase']);
    await harness.say('University');
    expect(await harness.sayIds('vvvv xxqq')).toEqual(['dialog.rephrase']);
    expect((await harness.data()).notUnderstoodInARow).toBe(1);
  });
});

describe('age- and date-aware answers', () => {
  const ageAnswer = content
    .allAnswers()
    .find((answer) => answer.topic === 'jobs' && answer.askAge && answer.triggers.length > 0 && answer.variants.some((variant) => variant.maxAge !== undefined && variant.maxAge < 16));

  it('asks for the age first, then gives the under-16 version', async () => {
    expect(ageAnswer).toBeDefined();
    if (!ageAnswer) return;
    const harness = dialogHarness();
    const [question] = await harness.say(ageAnswer.triggers[0]);
    expect(answerIdOf(question)).toBe('prompt.age');
    const [reply] = await harness.say('14');
    const under16 = ageAnswer.variants.find(
      (variant) => variant.maxAge !== undefined && variant.maxAge >= 14 && (variant.minAge ?? 0) <= 14 && (!variant.validUntil || variant.validUntil >= '2026-11-23'),
    );
    expect(reply.text).toBe(under16?.text);
    expect((await harness.data()).profile.age).toBe(14);
  });

  it('does not ask when the pupil already said their year group', async () => {
    if (!ageAnswer) return;
    const harness = dialogHarness();
    await harness.say("I'm in year 9");
    const [reply] = await harness.say(ageAnswer.triggers[0]);
    expect(answerIdOf(reply)).toBe(ageAnswer.id);
    expect(reply.text).not.toBe(ageAnswer.text);
  });

  it('states the pay rates that apply on the bot clock date, and only where to check once they lapse', async () => {
    const dated = content.allAnswers().find((answer) => answer.topic === 'jobs' && !answer.askAge && answer.variants.some((variant) => variant.validUntil));
    expect(dated).toBeDefined();
    if (!dated) return;
    const before = dialogHarness(new Date('2026-11-23T10:00:00Z'));
    const [current] = await before.say(dated.triggers[0]);
    expect(current.text).toBe(dated.variants[0].text);
    const after = dialogHarness(new Date('2030-01-01T10:00:00Z'));
    const [lapsed] = await after.say(dated.triggers[0]);
    expect(lapsed.text).toBe(dated.text);
    expect(dated.text).not.toMatch(/£\d/);
  });
});
