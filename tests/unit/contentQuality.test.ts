import { BOT_ANSWER_IDS } from '../../bot/careersBot';
import { loadContent } from '../../knowledge/loadContent';

const content = loadContent(undefined, BOT_ANSWER_IDS);
const answers = content.allAnswers();
const texts = answers.flatMap((answer) => [{ id: answer.id, text: answer.text, answer }, ...answer.variants.map((variant, n) => ({ id: `${answer.id}#${n}`, text: variant.text, answer }))]);

const words = (text: string) => text.split(/\s+/).filter((word) => /[\p{L}\p{N}]/u.test(word));
const sentences = (text: string) => text.split(/(?<=[.!?])\s+|\n+/).filter((sentence) => words(sentence).length > 0);

describe('content quality', () => {
  it('has no placeholder answers left', () => {
    expect(answers.filter((answer) => answer.placeholder).map((answer) => answer.id)).toEqual([]);
  });

  it('keeps every message to about 80 words, or gives it a "tell me more"', () => {
    const long = texts.filter(({ text, answer }) => words(text).length > 80 && !answer.more).map(({ id, text }) => `${id}: ${words(text).length} words`);
    expect(long).toEqual([]);
  });

  it('reads easily: short sentences on average, none very long', () => {
    const all = texts.flatMap(({ text }) => sentences(text));
    const average = all.reduce((sum, sentence) => sum + words(sentence).length, 0) / all.length;
    expect(average).toBeLessThanOrEqual(15);
    const veryLong = texts.flatMap(({ id, text }) =>
      sentences(text)
        .filter((sentence) => words(sentence).length > 30)
        .map((sentence) => `${id}: ${sentence}`),
    );
    expect(veryLong).toEqual([]);
  });

  it('names every route, fairly, in each answer about what to do after 16', () => {
    const routes: [string, RegExp][] = [
      ['sixth form', /sixth form/i],
      ['college', /college/i],
      ['T Levels', /T Level/i],
      ['apprenticeships', /apprenticeship/i],
      ['work with training', /work[^.]*training|training[^.]*work/i],
    ];
    const impartial = texts.filter(({ answer }) => answer.allRoutes);
    expect(impartial.length).toBeGreaterThanOrEqual(2);
    expect(content.answer('post16.overview').allRoutes).toBe(true);
    for (const { id, text } of impartial) {
      const missing = routes.filter(([, pattern]) => !pattern.test(text)).map(([name]) => name);
      expect({ id, missing }).toEqual({ id, missing: [] });
    }
  });

  it("never states a date-bound fact in a fallback text, and only in variants that end by the fact's end", () => {
    for (const answer of answers) {
      for (const factId of answer.facts) expect({ answer: answer.id, factId, dated: Boolean(content.fact(factId).validUntil) }).toEqual({ answer: answer.id, factId, dated: false });
      for (const variant of answer.variants) {
        for (const factId of variant.facts) {
          const fact = content.fact(factId);
          if (!fact.validUntil) continue;
          expect({ answer: answer.id, factId, endsInTime: Boolean(variant.validUntil && variant.validUntil <= fact.validUntil) }).toEqual({ answer: answer.id, factId, endsInTime: true });
        }
      }
    }
  });

  it('reaches every guidance answer from its topic overview or by its triggers', () => {
    const reachable = new Set<string>();
    const visit = (id: string) => {
      if (reachable.has(id)) return;
      reachable.add(id);
      const answer = content.answer(id);
      for (const next of [...answer.followUps, ...(answer.more ? [answer.more] : [])]) visit(next);
    };
    for (const topic of content.topics) visit(topic.answer);
    for (const answer of answers) if (answer.triggers.length > 0) visit(answer.id);
    const orphans = answers.filter((answer) => answer.topic && !reachable.has(answer.id)).map((answer) => answer.id);
    expect(orphans).toEqual([]);
  });

  // Contacts are also stated by code paths (crisis replies), so only guidance facts must be used by answers.
  it('uses every guidance fact somewhere', () => {
    const used = new Set(answers.flatMap((answer) => [...answer.facts, ...answer.variants.flatMap((variant) => variant.facts)]));
    const unused = content
      .allFacts()
      .filter((fact) => !fact.id.startsWith('contact.') && !used.has(fact.id))
      .map((fact) => fact.id);
    expect(unused).toEqual([]);
  });
});
