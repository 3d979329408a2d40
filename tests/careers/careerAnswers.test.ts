import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { AnswerRouter } from '../../dialogs/answerRouter';
import { CareerAnswers } from '../../dialogs/careerAnswers';
import { CareerMatcher } from '../../dialogs/careerMatcher';
import type { CareerProfile } from '../../knowledge/careersSchema';
import { loadCareers } from '../../knowledge/loadCareers';
import { loadContent } from '../../knowledge/loadContent';
import { pupilQuestionsPath } from '../support/sharedExamples';

const careers = loadCareers();
const content = loadContent();
const router = new AnswerRouter(content);
const matcher = new CareerMatcher(careers, { spellings: content.spellings, keepWords: content.keepWords, knownWords: router.folder.words() });
const answers = new CareerAnswers(careers);
const pounds = (amount: number) => `£${amount.toLocaleString('en-GB')}`;

describe('answerFor(profile, aspect)', () => {
  const electrician = careers.profile('electrician');
  // a profile whose pay range was read in an official source (IPSA for MPs' pay)
  const readPay = careers.profiles.find((profile) => profile.pay.verified && profile.pay.low !== undefined);
  const actor = careers.profile('actor');

  it('answers "how to become" with the summary, every route with its level explained, and where to read more', () => {
    const text = answers.answerFor(electrician, 'routes');
    expect(text).toContain(electrician.summary.text);
    for (const route of electrician.routes) expect(text).toContain(route.text);
    expect(text).toContain('level 3 (A level standard)');
    expect(text).toContain(careers.ncsUrl(electrician));
  });

  it('states a pay range read in its source with the source and month checked', () => {
    if (!readPay) throw new Error('no profile has a verified pay range');
    const { pay } = readPay;
    const text = answers.answerFor(readPay, 'pay');
    expect(text).toContain(pounds(pay.low ?? 0));
    expect(text).toContain(pounds(pay.high ?? 0));
    expect(text).toContain(careers.source(readPay, pay.source).name);
    expect(text).toContain('December 2026');
  });

  it('words a pay range that was not re-read with care, and points to the NCS page', () => {
    const { pay } = electrician;
    expect(pay.verified).toBe(false);
    const text = answers.answerFor(electrician, 'pay');
    expect(text).toContain(pounds(pay.low ?? 0));
    expect(text).toMatch(/rough guide/i);
    expect(text).toContain(careers.ncsUrl(electrician));
  });

  it('says why there is no range when pay varies', () => {
    expect(actor.pay.low).toBeUndefined();
    expect(answers.answerFor(actor, 'pay')).toContain(actor.pay.note);
  });

  it('lists the GCSE and A level subjects that help', () => {
    const vet = careers.profile('vet');
    const text = answers.answerFor(vet, 'subjects');
    for (const subject of [...vet.subjects.gcse, ...vet.subjects.aLevel]) expect(text).toContain(subject);
    expect(text).toContain(vet.subjects.text);
  });

  it('names the regulator where registration is needed, and says so where it is not', () => {
    const plumber = careers.profile('plumber');
    expect(answers.answerFor(plumber, 'registration')).toContain(plumber.registration?.text);
    expect(answers.answerFor(careers.profile('bricklayer'), 'registration')).toMatch(/don't need to register/);
  });

  it('tells a pupil when no apprenticeship leads to a job, so the answer is complete', () => {
    const vet = careers.profile('vet');
    expect(answers.answerFor(vet, 'routes')).toContain(vet.noApprenticeship?.text);
  });

  it('adds the level 7 funding rule under routes that include a level 7 apprenticeship, and only there', () => {
    const note = careers.replies.levelNotes['7'].text.trim();
    expect(answers.answerFor(careers.profile('solicitor'), 'routes')).toContain(note);
    expect(answers.answerFor(electrician, 'routes')).not.toContain(note);
  });

  it('renders every aspect of every profile without a placeholder left over', () => {
    for (const profile of careers.profiles) {
      for (const aspect of ['what', 'routes', 'pay', 'subjects', 'hours', 'registration'] as const) {
        expect(answers.answerFor(profile, aspect)).not.toMatch(/\{\w+\}|undefined/);
      }
    }
  });

  it('uses "an" before a vowel and a profile\'s own article where given', () => {
    expect(answers.answerFor(careers.profile('actor'), 'routes')).toMatch(/^How to become an actor/);
    expect(answers.answerFor(careers.profile('mp'), 'routes')).toMatch(/^How to become an MP/);
  });
});

describe('interest and family answers', () => {
  it('lists job families with jobs for an interest', () => {
    const art = careers.interest('art');
    const text = answers.interestAnswer([art]);
    for (const id of art.families.slice(0, careers.explorer.showFamilies.max)) expect(text).toContain(careers.family(id).title);
    expect(text).toContain(careers.profile(careers.family(art.families[0]).profiles[0]).title);
  });

  it('opens the explorer with its first question', () => {
    expect(answers.exploreStart()).toContain(careers.explorer.questions[0].text);
  });

  it('shows a family with all its jobs', () => {
    const family = careers.family('animals');
    const text = answers.familyAnswer(family);
    for (const id of family.profiles) expect(text).toContain(careers.profile(id).title);
  });
});

/**
 * The shared pupil questions that are careers questions, answered from the matcher and the
 * profiles alone: what a careers adviser would expect in the reply. (Questions on topics the
 * guidance dialogs answer, like hours for 14 year olds, are for the bot's own tests.)
 */
describe('the shared pupil questions that ask about careers', () => {
  const Case = z.object({ say: z.array(z.string()).min(1), expect: z.array(z.string()), not: z.array(z.string()).default([]) });
  const cases = z.object({ cases: z.array(Case) }).parse(JSON.parse(readFileSync(pupilQuestionsPath(), 'utf8'))).cases;

  /** The reply the careers modules give to the last message, with the job named earlier as context. */
  const reply = (say: string[]): string | undefined => {
    let current: CareerProfile | undefined;
    let text: string | undefined;
    for (const message of say) {
      const match = matcher.match(message);
      text = undefined;
      if (match.kind === 'career') {
        current = match.profile;
        text = answers.answerFor(match.profile, match.aspect);
      } else if (match.kind === 'interest') text = answers.interestAnswer(match.interests);
      else if (match.kind === 'explore') text = answers.exploreStart();
      else if (current) {
        const aspect = matcher.aspectOf(message);
        if (aspect) text = answers.answerFor(current, aspect);
      }
    }
    return text;
  };
  const claimed = cases.map((c) => ({ c, text: reply(c.say) })).filter((entry): entry is { c: z.infer<typeof Case>; text: string } => entry.text !== undefined);

  it('claims the careers questions among them', () => {
    expect(claimed.length).toBeGreaterThanOrEqual(17);
  });

  it.each(claimed.map(({ c, text }) => [c.say.join(' / '), c, text] as const))('%s', (_say, c, text) => {
    for (const pattern of c.expect) expect(text).toMatch(new RegExp(pattern, 'i'));
    for (const pattern of c.not) expect(text).not.toMatch(new RegExp(pattern, 'i'));
  });
});
