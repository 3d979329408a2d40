import { readFileSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { AnswerRouter } from '../../dialogs/answerRouter';
import { CareerMatcher, plural, type CareerMatch } from '../../dialogs/careerMatcher';
import { CareerAspect } from '../../knowledge/careerTalkSchema';
import { loadCareers } from '../../knowledge/loadCareers';
import { loadContent } from '../../knowledge/loadContent';
import { triageExamplesPath } from '../support/sharedExamples';

/**
 * Tables of realistic pupil wordings (tests/careers/cases): which career and which part of it,
 * which interest, the explorer, and messages that must not be taken for a careers question.
 */
const casesDir = path.join(__dirname, 'cases');
const CareerCase = z.object({ text: z.string().min(1), career: z.string(), aspect: CareerAspect });
const Others = z.object({
  interests: z.array(z.object({ text: z.string(), interests: z.array(z.string()).min(1) })),
  explore: z.array(z.string()),
  none: z.array(z.string()),
  followUps: z.array(z.object({ text: z.string(), aspect: CareerAspect })),
});
const careerCases = z.array(CareerCase).parse(JSON.parse(readFileSync(path.join(casesDir, 'careers.json'), 'utf8')));
const others = Others.parse(JSON.parse(readFileSync(path.join(casesDir, 'others.json'), 'utf8')));

const careers = loadCareers();
const content = loadContent();
const router = new AnswerRouter(content);
const matcher = new CareerMatcher(careers, { spellings: content.spellings, keepWords: content.keepWords, knownWords: router.folder.words() });

const outcome = (match: CareerMatch) => {
  if (match.kind === 'career') return { kind: match.kind, career: match.profile.id, aspect: match.aspect };
  if (match.kind === 'interest') return { kind: match.kind, interests: match.interests.map((interest) => interest.id) };
  return { kind: match.kind };
};

describe('CareerMatcher: careers by name, slang, plural and misspelling, with the part asked about', () => {
  it('has a large table of wordings', () => {
    expect(careerCases.length).toBeGreaterThanOrEqual(150);
  });

  it.each(careerCases.map((c) => [c.text, c.career, c.aspect] as const))('%j → %s (%s)', (text, career, aspect) => {
    expect(outcome(matcher.match(text))).toEqual({ kind: 'career', career, aspect });
  });

  it('says whether the part was asked about or is the default', () => {
    expect(matcher.match('how much does a plumber earn')).toMatchObject({ aspectAsked: true });
    expect(matcher.match('plumber')).toMatchObject({ aspectAsked: false, aspect: careers.language.defaultAspect });
  });

  it('knows every profile by its own title and each of its names', () => {
    const missed: string[] = [];
    for (const profile of careers.profiles) {
      for (const name of [profile.title, ...profile.names]) {
        const found = matcher.match(`how do i become a ${name}`);
        // A name may sit inside a longer name of another job ("nurse" in "dental nurse"), but never miss.
        if (found.kind !== 'career') missed.push(`${profile.id}: ${name}`);
      }
    }
    expect(missed).toEqual([]);
  });
});

describe('CareerMatcher: interests and the explorer', () => {
  it.each(others.interests.map((c) => [c.text, c.interests] as const))('%j → interests %j', (text, interests) => {
    expect(outcome(matcher.match(text))).toEqual({ kind: 'interest', interests });
  });

  it.each(others.explore)('%j → explorer', (text) => {
    expect(outcome(matcher.match(text))).toEqual({ kind: 'explore' });
  });

  it('finds interests in an answer to an explorer question without a "jobs" cue', () => {
    expect(matcher.interestsIn('i like drawing and animals').map((interest) => interest.id)).toEqual(['art', 'animals']);
    expect(matcher.interestsIn('nothing really')).toEqual([]);
  });
});

describe('CareerMatcher: messages that are not careers questions', () => {
  it.each(others.none)('%j → none', (text) => {
    expect(outcome(matcher.match(text))).toEqual({ kind: 'none' });
  });

  const examples = z.object({ cases: z.array(z.object({ text: z.string(), flags: z.array(z.string()).optional() }).passthrough()) }).parse(JSON.parse(readFileSync(triageExamplesPath(), 'utf8')));
  const crisis = examples.cases.filter((c) => c.flags?.includes('crisis')).map((c) => c.text);

  it.each(crisis)('crisis message %j is not taken for a career, an interest or the explorer', (text) => {
    expect(outcome(matcher.match(text))).toEqual({ kind: 'none' });
  });
});

describe('CareerMatcher: follow-ups in context', () => {
  it.each(others.followUps.map((c) => [c.text, c.aspect] as const))('%j asks about %s', (text, aspect) => {
    expect(matcher.match(text).kind).toBe('none');
    expect(matcher.aspectOf(text)).toBe(aspect);
  });
});

describe('CareerMatcher: speed and determinism', () => {
  it('matches a message in well under a millisecond on average', () => {
    const texts = [...careerCases.map((c) => c.text), ...others.none];
    const start = process.hrtime.bigint();
    for (let round = 0; round < 20; round += 1) for (const text of texts) matcher.match(`${text} ${round}`);
    const perMessageMs = Number(process.hrtime.bigint() - start) / 1e6 / (20 * texts.length);
    expect(perMessageMs).toBeLessThan(0.5);
  });

  it('gives the same answer for the same text', () => {
    for (const c of careerCases.slice(0, 40)) expect(outcome(matcher.match(c.text))).toEqual(outcome(matcher.match(c.text)));
  });
});

describe('plural()', () => {
  it.each([
    ['electrician', 'electricians'],
    ['fireman', 'firemen'],
    ['nanny', 'nannies'],
    ['midwife', 'midwives'],
    ['coach', 'coaches'],
    ['dental nurse', 'dental nurses'],
    ['day', 'days'],
  ])('%s → %s', (one, many) => {
    expect(plural(one)).toBe(many);
  });
});
