import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { BOT_ANSWER_IDS } from '../../bot/careersBot';
import { loadContent } from '../../knowledge/loadContent';

function contentDir(files: Record<string, unknown>): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'content-'));
  for (const [name, body] of Object.entries(files)) writeFileSync(path.join(dir, name), typeof body === 'string' ? body : JSON.stringify(body));
  return dir;
}

describe('knowledge content', () => {
  const content = loadContent(undefined, BOT_ANSWER_IDS);

  it('has every answer the bot names', () => {
    for (const id of BOT_ANSWER_IDS) expect(content.answer(id).text.length).toBeGreaterThan(0);
  });

  // Deliberately against the real date: stale facts must fail the build, not just a demo clock.
  it('gives every fact a source and a check within the last 12 months', () => {
    const today = new Date();
    const yearAgo = new Date(today);
    yearAgo.setFullYear(today.getFullYear() - 1);
    for (const fact of content.allFacts()) {
      expect(fact.source).not.toHaveLength(0);
      const checked = new Date(`${fact.lastChecked}T00:00:00Z`);
      expect({ id: fact.id, stale: checked < yearAgo, future: checked > today }).toEqual({ id: fact.id, stale: false, future: false });
    }
  });

  it('offers all five guidance topics as buttons', () => {
    expect(content.topics.map((topic) => topic.id)).toEqual(['gcse', 'post16', 'apprenticeships', 'higher-education', 'jobs']);
  });

  it('names the file and field of a bad entry', () => {
    const dir = contentDir({ 'broken.json': { facts: [{ id: 'x', statement: 'y', lastChecked: '2026-01-01' }] } });
    expect(() => loadContent(dir)).toThrow('loadContent(): knowledge/content/broken.json: facts[0].source');
  });

  it('refuses invalid JSON naming the file', () => {
    expect(() => loadContent(contentDir({ 'bad.json': '{ nope' }))).toThrow(/bad\.json: not valid JSON/);
  });

  it('refuses an answer that names a missing fact', () => {
    const dir = contentDir({ 'a.json': { answers: [{ id: 'a.one', text: 'hi', facts: ['nope'] }] } });
    expect(() => loadContent(dir)).toThrow('answer "a.one" names fact "nope", which does not exist');
  });

  it('refuses duplicate ids across files', () => {
    const dir = contentDir({ 'a.json': { answers: [{ id: 'same', text: 'a' }] }, 'b.json': { answers: [{ id: 'same', text: 'b' }] } });
    expect(() => loadContent(dir)).toThrow('b.json: answer id "same" is already used in a.json');
  });

  it('refuses content missing an answer the bot needs', () => {
    expect(() => loadContent(contentDir({ 'a.json': { answers: [] } }), ['welcome.intro'])).toThrow('answer "welcome.intro" is needed by the bot');
  });
});
