import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { BOT_ANSWER_IDS } from '../../bot/careersBot';
import { FlagDetector } from '../../bot/triage/flagDetector';
import { compilePattern } from '../../bot/triage/patternCompiler';
import { normalise } from '../../dialogs/normalise';
import { AnswerRouter } from '../../dialogs/answerRouter';
import { loadContent } from '../../knowledge/loadContent';
import { loadLexicon } from '../../knowledge/loadLexicon';
import { FlagName } from '../../knowledge/triageSchema';
import { triageExamplesPath } from '../support/sharedExamples';

/**
 * Triage tables: tests/triage/cases/*.json, each [{ "text": "...", "flags": ["crisis"] }];
 * "flags": [] marks a message that must raise nothing. A "category" names the crisis category
 * (knowledge/triage/lexicon.json) whose patterns must be the ones that catch it.
 */
const Case = z.object({ text: z.string().min(1), flags: z.array(FlagName), category: z.string().optional() });
const content = loadContent(undefined, BOT_ANSWER_IDS);
const detector = new FlagDetector(loadLexicon(), [...content.keepWords, ...new AnswerRouter(content).folder.words()]);
const casesDir = path.join(__dirname, 'cases');
const table = readdirSync(casesDir)
  .filter((file) => file.endsWith('.json'))
  .flatMap((file) =>
    z
      .array(Case)
      .parse(JSON.parse(readFileSync(path.join(casesDir, file), 'utf8')))
      .map((c) => ({ ...c, file })),
  );

const sorted = (flags: readonly string[]) => [...flags].sort();

describe('triage tables', () => {
  it('has at least 200 cases, with negatives among them', () => {
    expect(table.length).toBeGreaterThanOrEqual(200);
    expect(table.filter((c) => c.flags.length === 0).length).toBeGreaterThanOrEqual(40);
  });

  it.each(table.map((c) => [c.file, c.text, c.flags.join(',') || 'nothing', c] as const))('%s: %j raises %s', (_file, text, _flags, c) => {
    expect(sorted(detector.detect(text).flags)).toEqual(sorted(c.flags));
  });

  const categorised = table.filter((c) => c.category);
  it.each(categorised.map((c) => [c.text, c.category] as const))('%j is caught by the crisis category %s', (text, category) => {
    const caughtBy = detector
      .explain(text)
      .filter((explanation) => explanation.flag === 'crisis')
      .map((explanation) => explanation.category);
    expect(caughtBy).toContain(category);
  });

  it('has at least eight of its own wordings for every crisis category, and no case for a category the lexicon lacks', () => {
    const categories = Object.keys(loadLexicon().flags.crisis?.categories ?? {});
    const counts = Object.fromEntries(categories.map((category) => [category, categorised.filter((c) => c.category === category).length]));
    expect(categories.filter((category) => counts[category] < 8)).toEqual([]);
    expect(categorised.filter((c) => !categories.includes(c.category ?? '')).map((c) => c.text)).toEqual([]);
  });
});

describe('the routing tables through the detector', () => {
  // Every realistic careers question the router is tested on must not be taken for a crisis.
  const RoutingCase = z.object({ text: z.string().min(1) }).passthrough();
  const routingDir = path.join(__dirname, '..', 'routing', 'cases');
  const questions = readdirSync(routingDir)
    .filter((file) => file.endsWith('.json'))
    .flatMap((file) =>
      z
        .array(RoutingCase)
        .parse(JSON.parse(readFileSync(path.join(routingDir, file), 'utf8')))
        .map((c) => c.text),
    );

  it('raises crisis on none of them', () => {
    expect(questions.length).toBeGreaterThanOrEqual(150);
    expect(questions.filter((text) => detector.detect(text).crisis)).toEqual([]);
  });
});

describe('the shared triage examples', () => {
  const examples = z
    .object({ cases: z.array(z.object({ text: z.string(), flags: z.array(FlagName).optional(), negative: z.boolean().optional() }).passthrough()) })
    .parse(JSON.parse(readFileSync(triageExamplesPath(), 'utf8')));

  it.each(examples.cases.filter((c) => c.flags).map((c) => [c.text, c.flags ?? []] as const))('%j raises %j', (text, flags) => {
    expect(sorted(detector.detect(text).flags)).toEqual(sorted(flags));
  });

  it.each(examples.cases.filter((c) => c.negative).map((c) => [c.text] as const))('%j raises nothing', (text) => {
    expect(detector.detect(text).flags).toEqual([]);
  });
});

describe('the lexicon', () => {
  const lexicon = loadLexicon();
  const sets = Object.fromEntries(Object.entries(lexicon.sets).map(([name, entries]) => [name, entries.map(normalise)]));
  const folded = table.map((c) => ({ ...c, padded: ` ${detector.fold(c.text)} ` }));
  const entries = FlagName.options.flatMap((flag) => [
    ...(lexicon.flags[flag]?.patterns ?? []).map((pattern) => ({ flag, pattern, kind: 'pattern' as const })),
    ...Object.values(lexicon.flags[flag]?.categories ?? {})
      .flat()
      .map((pattern) => ({ flag, pattern, kind: 'pattern' as const })),
    ...(lexicon.flags[flag]?.notWhen ?? []).map((pattern) => ({ flag, pattern, kind: 'idiom' as const })),
  ]);

  it.each(Object.keys(lexicon.emoji).map((emoji) => [emoji] as const))('the emoji %s appears in a case', (emoji) => {
    const bare = emoji.replace(/\uFE0F/g, '');
    expect(table.some((c) => c.text.replace(/\uFE0F/g, '').includes(bare))).toBe(true);
  });

  // Every entry has a test: a case that raises the flag through the pattern, or, for an idiom, a
  // case that matches it and raises nothing of that flag.
  it.each(entries.map((entry) => [entry.flag, entry.kind, entry.pattern, entry] as const))('%s %s %j is exercised by a case', (_flag, _kind, _pattern, entry) => {
    const regex = compilePattern(entry.pattern, sets);
    const exercised = folded.some((c) => regex.test(c.padded) && (entry.kind === 'pattern' ? c.flags.includes(entry.flag) : !c.flags.includes(entry.flag)));
    expect(exercised).toBe(true);
  });
});

describe('FlagDetector', () => {
  it('puts crisis first in a mixed message', () => {
    const detection = detector.detect('what apprenticeships are there, also I want to hurt myself');
    expect(detection.crisis).toBe(true);
    expect(detection.flags[0]).toBe('crisis');
  });

  it('lets an idiom blank only its own words: a real crisis later in the message still counts', () => {
    expect(detector.detect('i nearly killed myself laughing in maths').flags).toEqual([]);
    expect(detector.detect('i nearly killed myself laughing earlier but honestly i want to kill myself').crisis).toBe(true);
  });

  it('checks every match: a negated first mention does not hide a later one', () => {
    expect(detector.detect("I'm not in care, but my friend is").flags).toEqual([]);
    expect(detector.detect('no im not bullied at school. ok i lied, i am being bullied every day').flags).toContain('wellbeing');
  });

  it('corrects near misses only towards its short list, never everyday words', () => {
    expect(detector.detect('im really artistic and want to do art').flags).toEqual([]);
    expect(detector.detect('i keep thinking about sucide').crisis).toBe(true);
  });

  it('never corrects an everyday or careers word into a triage word', () => {
    expect(detector.fold('I want a career in law')).toBe('i want a career in law');
  });
});
