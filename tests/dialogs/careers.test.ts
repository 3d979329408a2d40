import { answerVoteEntity, careerVoteId } from '../../dialogs/answerVote';
import type { CareerAspect } from '../../knowledge/careerTalkSchema';
import { answerIdOf, buttonsOf, careers, content, dialogHarness, reading } from './dialogHarness';

const { careerAnswers, explorer } = reading;
const menu = content.answer('button.menu').text;
const aspectButton = (aspect: CareerAspect) => careers.replies.aspectButtons[aspect];
const careerText = (id: string, aspect: CareerAspect) => careerAnswers.answerFor(careers.profile(id), aspect);
const interestText = (...ids: string[]) => careerAnswers.interestAnswer(ids.map((id) => careers.interest(id)));

describe('careers questions in free text are answered from the job profile', () => {
  it.each([
    ['how do I become a nurse', 'adult-nurse', 'routes'],
    ['wanna be a zookeeper', 'zookeeper', 'routes'],
    ['how do u become a roofer', 'roofer', 'routes'],
    ['whats a dental nurses salary', 'dental-nurse', 'pay'],
    ['how much does an electrician earn', 'electrician', 'pay'],
    ['sparky', 'electrician', 'routes'],
    ['chippy', 'carpenter', 'routes'],
    ['barber', 'barber', 'routes'],
    ['i want to be a bricklayer', 'bricklayer', 'routes'],
    ['what does a physio do', 'physiotherapist', 'what'],
    ['do nurses work nights', 'adult-nurse', 'hours'],
    ['what gcses do i need to be a vet', 'vet', 'subjects'],
  ] as const)('%j → %s (%s)', async (text, career, aspect) => {
    const harness = dialogHarness();
    const replies = await harness.say(text);
    expect(replies).toHaveLength(1);
    expect(replies[0].text).toBe(careerText(career, aspect));
    expect((await harness.data()).career).toBe(career);
  });

  it("gives the electrician's pay, not the minimum wage table", async () => {
    const harness = dialogHarness();
    const [reply] = await harness.say('how much does an electrician earn');
    expect(answerIdOf(reply)).toBeUndefined();
    expect(reply.text).not.toContain(content.answer('jobs.pay').variants[0].text.slice(0, 40));
    expect(reply.text).toMatch(/electrician/i);
  });

  it("puts thumbs under a job's answer, as under the guidance answers, naming the job and the part shown", async () => {
    const harness = dialogHarness();
    const [routes] = await harness.say('how do I become a nurse');
    expect(routes.entities).toEqual([answerVoteEntity(careerVoteId('adult-nurse', 'routes'))]);
    const [pay] = await harness.say(aspectButton('pay'));
    expect(pay.entities).toEqual([answerVoteEntity(careerVoteId('adult-nurse', 'pay'))]);
  });

  it('shows buttons for the other parts of the job, then Menu', async () => {
    const harness = dialogHarness();
    const [reply] = await harness.say('how do I become a nurse');
    expect(buttonsOf(reply)).toEqual([aspectButton('pay'), aspectButton('subjects'), aspectButton('what'), menu]);
    const [pay] = await harness.say(aspectButton('pay'));
    expect(pay.text).toBe(careerText('adult-nurse', 'pay'));
    expect(buttonsOf(pay)).toEqual([aspectButton('routes'), aspectButton('subjects'), aspectButton('what'), menu]);
    expect(await harness.say(aspectButton('subjects'))).toEqual([expect.objectContaining({ text: careerText('adult-nurse', 'subjects') })]);
    expect(await harness.sayIds(menu)).toEqual(['menu.prompt']);
  });

  it('keeps a more specific guidance answer where the job is only mentioned', async () => {
    const harness = dialogHarness();
    expect(await harness.sayIds('how do I find apprenticeships in plumbing')).toEqual(['apprenticeships.find']);
    expect(await dialogHarness().sayIds('what A levels go well together for law')).toEqual(['post16.a-levels-law']);
    expect(await dialogHarness().sayIds('how do i write a cv for a job as a chef')).toEqual(['jobs.cv']);
    expect(await dialogHarness().sayIds("I'm 16, how much do apprentice electricians get paid")).toEqual(['apprenticeships.pay']);
  });

  it('answers a careers question asked inside a guidance topic, and a guidance question asked after a career', async () => {
    const harness = dialogHarness();
    await harness.say('Getting a job');
    const [pay] = await harness.say('how much do plumbers earn');
    expect(pay.text).toBe(careerText('plumber', 'pay'));
    expect(await harness.sayIds('how do I write a CV')).toEqual(['jobs.cv']);
    expect((await harness.data()).career).toBeUndefined();
  });

  it('asks to rephrase inside a career with its buttons, and carries on', async () => {
    const harness = dialogHarness();
    await harness.say('how do I become a vet');
    const [rephrase] = await harness.say('qwxz zzvb');
    expect(answerIdOf(rephrase)).toBe('dialog.rephrase');
    expect(buttonsOf(rephrase)).toEqual([aspectButton('pay'), aspectButton('subjects'), aspectButton('what'), menu]);
    const [pay] = await harness.say(aspectButton('pay'));
    expect(pay.text).toBe(careerText('vet', 'pay'));
  });
});

describe('follow-ups about the job just talked about', () => {
  it.each([
    ['which GCSEs matter', 'subjects'],
    ['what A levels should I take', 'subjects'],
    ['how long does that take', 'routes'],
    ['and the pay?', 'pay'],
    ['what happens now', 'routes'],
    ['what do they actually do', 'what'],
  ] as const)('"I want to be a doctor", then %j → the doctor\'s %s', async (followUp, aspect) => {
    const harness = dialogHarness();
    const [first] = await harness.say('I want to be a doctor');
    expect(first.text).toBe(careerText('doctor', 'routes'));
    expect(await harness.say(followUp)).toEqual([expect.objectContaining({ text: careerText('doctor', aspect) })]);
  });

  it('remembers the job after the dialog ends ("menu"), and moves to another job named', async () => {
    const harness = dialogHarness();
    await harness.say('I want to be a vet');
    expect(await harness.sayIds('menu')).toEqual(['menu.prompt']);
    expect((await harness.say('and the pay?'))[0].text).toBe(careerText('vet', 'pay'));
    expect((await harness.say('how do i become a nurse instead'))[0].text).toBe(careerText('adult-nurse', 'routes'));
    expect((await harness.say('which gcses matter'))[0].text).toBe(careerText('adult-nurse', 'subjects'));
  });

  it("answers the pupil's own question, not the job's, when a guidance answer fits better", async () => {
    const harness = dialogHarness();
    await harness.say('I want to be an electrician');
    expect(await harness.sayIds('how many hours can I work at 14')).toEqual(['jobs.hours-under-16']);
  });
});

describe('follow-ups after a guidance answer, about what it was about', () => {
  it.each([
    ['what is a t level', 'how long does it take', 'post16.t-levels'],
    ['how do i apply for an apprenticeship', 'how long does that take', 'apprenticeships.length-training'],
    ['what is a degree apprenticeship', 'and the pay?', 'apprenticeships.pay'],
    ['what is a supported internship', 'how long does it last', 'apprenticeships.supported-internships'],
  ] as const)('%j, then %j → %s', async (first, followUp, answerId) => {
    const harness = dialogHarness();
    await harness.say(first);
    const ids = await harness.sayIds(followUp);
    // an answer that depends on age asks it first (apprentice pay)
    expect(ids[0] === 'prompt.age' ? await harness.sayIds('16') : ids).toEqual([answerId]);
  });

  it('still asks to rephrase a message that is no follow-up, rather than repeating the topic', async () => {
    const harness = dialogHarness();
    await harness.say('what is a t level');
    expect(await harness.sayIds('qwxz zzvb')).toEqual(['dialog.rephrase']);
  });
});

describe('the explorer: "I don\'t know what I want to do"', () => {
  const [enjoy, goodAt, where] = explorer.questions;

  it('asks what the pupil enjoys, is good at and where they would work, then shows 3 to 5 job families, then their jobs, then a job', async () => {
    const harness = dialogHarness();
    const [start] = await harness.say("I don't know what I want to do");
    expect(start.text).toBe(careerAnswers.exploreStart(enjoy));
    expect(buttonsOf(start)).toEqual([...enjoy.options.map((option) => option.label), menu]);
    expect((await harness.say('Animals'))[0].text).toBe(goodAt.text);
    expect((await harness.say('Science'))[0].text).toBe(where.text);
    const [families] = await harness.say('Outdoors');
    const expected = explorer.familiesFor({ interests: ['animals', 'science', 'outdoors'] });
    expect(expected.length).toBeGreaterThanOrEqual(3);
    expect(expected.length).toBeLessThanOrEqual(5);
    expect(families.text).toBe(careerAnswers.familiesAnswer(expected));
    expect(buttonsOf(families)).toEqual([...expected.map((family) => family.title), menu]);
    expect(expected[0].id).toBe('animals');
    const [family] = await harness.say(expected[0].title);
    expect(family.text).toBe(careerAnswers.familyAnswer(expected[0]));
    const zookeeper = careers.profile('zookeeper');
    expect(buttonsOf(family)).toContain('Zookeeper');
    expect(await harness.say('Zookeeper')).toEqual([expect.objectContaining({ text: careerText(zookeeper.id, 'routes') })]);
  });

  it("takes answers in the pupil's own words, and skips a question they cannot answer", async () => {
    const harness = dialogHarness();
    await harness.say('no idea what job');
    expect((await harness.say('i like drawing and making things'))[0].text).toBe(goodAt.text);
    expect((await harness.say('dunno really'))[0].text).toBe(where.text);
    const [families] = await harness.say('somewhere outside');
    const expected = explorer.familiesFor({ interests: ['art', 'making', 'outdoors'] });
    expect(families.text).toBe(careerAnswers.familiesAnswer(expected));
    expect(expected.map((family) => family.id)).toEqual(expect.arrayContaining(['art-design', 'building-trades', 'outdoors-land']));
  });

  it('"back" from a family\'s jobs shows the families again', async () => {
    const harness = dialogHarness();
    await harness.say('help me pick a career');
    for (const label of ['Helping people', 'Science', 'Hospital or clinic']) await harness.say(label);
    const expected = explorer.familiesFor({ interests: ['helping-people', 'science', 'helping-people', 'science'] });
    await harness.say(expected[0].title);
    expect((await harness.say('back'))[0].text).toBe(careerAnswers.familiesAnswer(expected));
  });

  it('leaves the explorer for a job the pupil names, or a question of another kind', async () => {
    const harness = dialogHarness();
    await harness.say('what should i do with my life');
    expect((await harness.say('actually i want to be a plumber'))[0].text).toBe(careerText('plumber', 'routes'));
    const other = dialogHarness();
    await other.say('what should i do with my life');
    expect(await other.sayIds('how does ucas work')).toEqual(['higher-education.ucas']);
  });
});

describe('jobs for people who like …', () => {
  it.each([
    ['what jobs can I do if I like art', ['art']],
    ['what jobs can I do if I like animals', ['animals']],
    ['what jobs can I do if I like helping people', ['helping-people']],
    ['what jobs can I do if I like being outdoors', ['outdoors']],
    ['what jobs can I do if I like computers', ['computers']],
    ['what jobs can I do if I like maths', ['maths']],
    ['what jobs can I do if I like sport', ['sport']],
    ['what jobs can I do if I like science', ['science']],
    ['what careers use maths', ['maths']],
  ])('%j → the job families of %j, not part-time jobs', async (text, interests) => {
    const harness = dialogHarness();
    const [reply] = await harness.say(text);
    expect(reply.text).toBe(interestText(...interests));
    expect(answerIdOf(reply)).toBeUndefined();
    const families = interests.flatMap((id) => careers.interest(id).families).slice(0, careers.explorer.showFamilies.max);
    expect(buttonsOf(reply)).toEqual([...families.map((id) => careers.family(id).title), menu]);
  });

  it('goes on from a family to its jobs and a job', async () => {
    const harness = dialogHarness();
    await harness.say('what jobs can I do if I like art');
    const family = careers.family('art-design');
    expect((await harness.say(family.title))[0].text).toBe(careerAnswers.familyAnswer(family));
    expect((await harness.say('Graphic designer'))[0].text).toBe(careerText('graphic-designer', 'routes'));
  });
});

describe('answering the question asked', () => {
  it('uses an age already given ("at 15") instead of asking it', async () => {
    const harness = dialogHarness();
    const [reply] = await harness.say('how many hours can I work in the holidays at 15');
    expect(answerIdOf(reply)).toBe('jobs.hours-under-16');
    expect(reply.text).toContain('35 hours');
    expect((await harness.data()).profile.age).toBe(15);
  });

  it('answers a new question asked in the reply to the age prompt, keeping the age', async () => {
    const harness = dialogHarness();
    expect(await harness.sayIds('how late can I work')).toEqual(['prompt.age']);
    const [reply] = await harness.say("I'm 15, can I get a job at a bakery?");
    expect(answerIdOf(reply)).toBe('jobs.rules-under-16');
    expect(reply.text).toBe(content.answer('jobs.rules-under-16').variants.find((variant) => variant.minAge === 13 && variant.maxAge === 15)?.text);
    expect((await harness.data()).profile.age).toBe(15);
  });

  it('answers a careers question asked at the age prompt', async () => {
    const harness = dialogHarness();
    await harness.say('how many hours can I work');
    expect((await harness.say('im 14, how do i become a vet'))[0].text).toBe(careerText('vet', 'routes'));
    expect((await harness.data()).profile.age).toBe(14);
  });

  it.each([
    ['what happens if I fail my mock exams', 'gcse.mocks'],
    ['can I do A levels and an apprenticeship', 'post16.a-levels-and-apprenticeship'],
    ['how do I get work experience', 'jobs.work-experience'],
    ['can I still get EMA', 'post16.ema'],
    ["I didn't get a 4 in maths", 'post16.no-grade-4'],
    ['I got a 3 in English what now', 'post16.no-grade-4'],
  ])('a near miss gets its own answer: %j → %s', async (text, answerId) => {
    expect(await dialogHarness().sayIds(text)).toEqual([answerId]);
  });

  it('on results day, "I didn\'t get a 4" hears about resits and what happens next, not "got grade 4 or above?"', async () => {
    const harness = dialogHarness(new Date('2026-08-20T09:00:00+01:00'));
    const [reply] = await harness.say("results day, I didn't get a 4 in English");
    expect(answerIdOf(reply)).toBe('post16.no-grade-4');
    expect(reply.text).toMatch(/resit/i);
    expect(reply.text).not.toMatch(/^Got grade 4/);
  });
});
