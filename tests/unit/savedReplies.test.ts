import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { MemoryKeyValue } from '../../adapters/memory/memoryKeyValue';
import { SavedReplies, SHARED } from '../../bot/handoff/savedReplies';
import { AdviserText, SavedReplyName, SavedReplyText, scriptProblem } from '../../knowledge/adviserText';
import { loadSavedReplies } from '../../knowledge/loadSavedReplies';
import { sentences, words } from '../../knowledge/readability';
import { content } from '../support/contentText';

const NOW = new Date('2026-11-24T10:00:00Z');
const reply = (name: string, text = `the ${name} reply`) => ({ name, title: `About ${name}`, text });

describe('saved replies', () => {
  const seeds = loadSavedReplies(content);
  let replies: SavedReplies;
  beforeEach(() => {
    replies = new SavedReplies(new MemoryKeyValue(Date.now), seeds, () => NOW);
  });

  it('lists the content seeds first, read-only, then the shared replies and each school asked for', async () => {
    await replies.create(SHARED, reply('welcome'), 'sam');
    await replies.create('north', reply('north-open-day'), 'nina');
    await replies.create('south', reply('south-only'), 'sol');
    const listed = await replies.list(['north']);
    expect(listed.filter((item) => item.scope === 'content').map((item) => item.name)).toEqual(seeds.map((seed) => seed.name));
    expect(listed.filter((item) => item.scope !== 'content').map((item) => [item.scope, item.name, item.updatedBy])).toEqual([
      ['shared', 'welcome', 'sam'],
      ['north', 'north-open-day', 'nina'],
    ]);
  });

  it('keeps names unique in a scope, changes and removes by id, and refuses what is not there', async () => {
    const first = await replies.create('north', reply('bursary-north'), 'nina');
    expect(await replies.create('north', reply('bursary-north'), 'nina')).toEqual({ ok: false, reason: 'name-taken' });
    expect((await replies.create('south', reply('bursary-north'), 'sol')).ok).toBe(true);
    if (!first.ok) throw new Error('not created');
    const changed = await replies.update('north', first.reply.id, reply('bursary-north', 'new words'), 'ada');
    expect(changed).toEqual({ ok: true, reply: expect.objectContaining({ id: first.reply.id, text: 'new words', updatedBy: 'ada', scope: 'north' }) });
    expect(await replies.update('north', 'feedfeedfeedfeed', reply('x'), 'ada')).toEqual({ ok: false, reason: 'not-found' });
    expect(await replies.remove('north', first.reply.id)).toBe(true);
    expect(await replies.remove('north', first.reply.id)).toBe(false);
    expect((await replies.list(['north'])).filter((item) => item.scope === 'north')).toEqual([]);
  });

  it('loses nothing when advisers save in one scope at the same moment', async () => {
    const results = await Promise.all(Array.from({ length: 12 }, (_, n) => replies.create(SHARED, reply(`reply-${n}`), `adviser${n}`)));
    expect(results.every((result) => result.ok)).toBe(true);
    expect((await replies.list([])).filter((item) => item.scope === SHARED)).toHaveLength(12);
  });
});

describe("an adviser's text and a saved reply, validated", () => {
  it('refuses empty, over-long and markup or script, as messages are', () => {
    expect(AdviserText.safeParse('  ').success).toBe(false);
    expect(AdviserText.safeParse('x'.repeat(2001)).success).toBe(false);
    expect(AdviserText.safeParse('x'.repeat(2000)).success).toBe(true);
    for (const bad of ['<script>alert(1)</script>', 'see <img src=x onerror=alert(1)>', 'click javascript:alert(1)', '<a href="https://x">x</a>', 'data:text/html,<b>'])
      expect([bad, scriptProblem(bad)]).toEqual([bad, expect.any(String)]);
    for (const fine of ['Grades 4 < 5 and 7 > 6', 'Email me at careers@example.sch.uk', 'https://www.gov.uk/1619-bursary-fund', 'I <3 maths'])
      expect([fine, scriptProblem(fine)]).toEqual([fine, undefined]);
  });

  it('knows only the {school} and {adviserHours} placeholders, and names of letters, digits and hyphens', () => {
    expect(SavedReplyText.safeParse('Hello from {school}, back {adviserHours}').success).toBe(true);
    const unknown = SavedReplyText.safeParse('Hello {name}');
    expect(unknown.success ? '' : unknown.error.issues[0].message).toContain('{name}');
    expect(SavedReplyName.safeParse('Results-Day').data).toBe('results-day');
    for (const bad of ['-x', 'with space', 'x'.repeat(41), '/bursary']) expect(SavedReplyName.safeParse(bad).success).toBe(false);
  });
});

describe('the saved replies seeded from the content', () => {
  it('are the bursary, resits and apprenticeship search at least, each stating facts the content has', () => {
    const seeds = loadSavedReplies(content);
    expect(seeds.map((seed) => seed.name)).toEqual(expect.arrayContaining(['bursary', 'resits', 'apprenticeship-search']));
    for (const seed of seeds.filter((candidate) => candidate.name !== 'hours')) expect([seed.name, seed.facts.length > 0]).toEqual([seed.name, true]);
    for (const seed of seeds) for (const fact of seed.facts) expect(content.fact(fact).source).not.toBe('');
  });

  it('read as the content does: short sentences for pupils', () => {
    for (const seed of loadSavedReplies(content)) {
      expect([seed.name, words(seed.text).length <= 80]).toEqual([seed.name, true]);
      for (const sentence of sentences(seed.text)) expect([seed.name, sentence, words(sentence).length <= 25]).toEqual([seed.name, sentence, true]);
    }
  });

  it('stop start-up with the file and field when a seed is bad or names a missing fact', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'seeds-'));
    try {
      const write = (replies: unknown) => {
        const file = path.join(dir, 'saved-replies.json');
        writeFileSync(file, JSON.stringify({ replies }));
        return file;
      };
      expect(() => loadSavedReplies(content, write([{ name: 'x', title: 'X', text: '<b>hi</b>' }]))).toThrow(/saved-replies.json: replies\[0\]\.text text must not contain markup/);
      expect(() => loadSavedReplies(content, write([{ name: 'x', title: 'X', text: 'hi', facts: ['no.such-fact'] }]))).toThrow('saved reply "x" names fact "no.such-fact", which does not exist');
      expect(() => loadSavedReplies(content, write([reply('x'), reply('x')]))).toThrow('saved reply name "x" is used twice');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
