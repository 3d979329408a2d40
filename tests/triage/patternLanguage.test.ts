import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { compilePattern, firstWords } from '../../bot/triage/patternCompiler';
import { SymbolDecoder } from '../../bot/triage/symbolDecoder';
import { loadLexicon } from '../../knowledge/loadLexicon';
import { Lexicon } from '../../knowledge/triageSchema';

const sets = { family: ['mum', 'step dad'], tool: ['knife', 'razor blade'] };
const matches = (pattern: string, text: string) => compilePattern(pattern, sets).test(` ${text} `);

describe('the pattern language', () => {
  it('anchors a pattern to the whole message with ^ and $', () => {
    expect(matches('^ [i|me] rope $', 'rope')).toBe(true);
    expect(matches('^ [i|me] rope $', 'me rope')).toBe(true);
    expect(matches('^ [i|me] rope $', 'skipping rope in pe')).toBe(false);
    expect(matches('^ [i|me] rope $', 'i climbed the rope')).toBe(false);
    expect(firstWords('^ [i|me] rope $', sets)).toEqual(new Set(['i', 'me', 'rope']));
  });

  it('lets $ stand as one alternative of a group: the end of the message', () => {
    expect(matches('i bought a rope (to|$)', 'i bought a rope')).toBe(true);
    expect(matches('i bought a rope (to|$)', 'i bought a rope for climbing')).toBe(false);
  });

  it('spans any number of words with ...', () => {
    expect(matches('teacher said ... is that true', 'teacher said that apprenticeships are only for people who are not clever is that true')).toBe(true);
    expect(matches('teacher said ... is that true', 'teacher said hello')).toBe(false);
  });

  it('takes word sets inside a group, with their first words in the index', () => {
    expect(matches('(my {family}|a {tool}) hurts', 'my step dad hurts')).toBe(true);
    expect(matches('(my {family}|a {tool}) hurts', 'a razor blade hurts')).toBe(true);
    expect(firstWords('({family}|a) x', sets)).toEqual(new Set(['mum', 'step', 'a']));
  });

  it('refuses an empty alternative, nested brackets and an unknown set, naming the pattern', () => {
    expect(() => compilePattern('(a|) b', sets)).toThrow('"(a|) b": (a|) has an empty alternative');
    expect(() => compilePattern('(a|[b|c]) d', sets)).toThrow('nests brackets');
    expect(() => compilePattern('(a|{nothing}) d', sets)).toThrow('no word set {nothing}');
    expect(() => compilePattern('a ^ b', sets)).toThrow('belongs only at the start');
  });
});

describe('SymbolDecoder', () => {
  const lexicon = loadLexicon();
  const known = new Set(['suicidal', 'pills', 'kill', 'myself', 'self', 'harm', 'hate', 'die']);
  const decoder = new SymbolDecoder(lexicon, known, new Set(Object.keys(lexicon.spellings)));

  it('reads digits for letters inside a word that mixes them, choosing the reading that is a known word', () => {
    expect(decoder.decode('feeling su1c1dal again')).toBe('feeling suicidal again');
    expect(decoder.decode('took all the pi11s')).toBe('took all the pills');
    expect(decoder.decode('i want to d1e')).toBe('i want to die');
  });

  it('reads signs for letters inside or at the start of a word, not at its end', () => {
    expect(decoder.decode('k!ll my$elf')).toBe('kill myself');
    expect(decoder.decode('$elf h@rm')).toBe('self harm');
    expect(decoder.decode('help!!! please')).toBe('help please');
    expect(decoder.decode('it cost $5')).toBe('it cost 5');
  });

  it('keeps numbers as numbers: alone, with a unit, or after a year or grade', () => {
    expect(decoder.decode('year 10 and 4 days and 16')).toBe('year 10 and 4 days and 16');
    expect(decoder.decode('y11 at 5pm on the 4th, 10x better, 16yo')).toBe('y11 at 5pm on the 4th 10x better 16yo');
  });

  it('leaves words on the spelling list to it', () => {
    expect(decoder.decode('no1 cares')).toBe('no1 cares');
  });

  it('reads the listed emoji as words, whatever their presentation, and drops the rest', () => {
    expect(decoder.decode('🔪🩸')).toBe('knife blood');
    expect(decoder.decode('\u26B0\uFE0F and \u26B0')).toBe('coffin and coffin');
    expect(decoder.decode('💀💀 lol')).toBe('lol');
    expect(decoder.decode('30 💊 tonight')).toBe('30 pills tonight');
  });
});

describe('the lexicon schema', () => {
  const base = loadLexicon();
  const load = (changes: Record<string, unknown>) => {
    const dir = mkdtempSync(path.join(tmpdir(), 'lexicon-'));
    const file = path.join(dir, 'lexicon.json');
    writeFileSync(file, JSON.stringify({ ...base, ...changes }));
    return () => loadLexicon(file);
  };

  it('is what loadLexicon returns for the shipped file', () => {
    expect(Lexicon.parse(base)).toEqual(base);
  });

  it('refuses an emoji that contains letters, a leet symbol that is a letter, and a badly named category', () => {
    expect(load({ emoji: { knife: 'knife' } })).toThrow('lexicon.json: emoji.knife must be an emoji');
    expect(load({ leet: { a: 'b' } })).toThrow('must be one digit or sign');
    expect(load({ flags: { crisis: { negatable: false, careerFrames: false, categories: { 'Self Harm': ['x y'] } } } })).toThrow('must be lower-case words joined by hyphens');
  });

  it('refuses a flag with neither patterns nor categories', () => {
    expect(load({ flags: { crisis: { negatable: false, careerFrames: false } } })).toThrow('flags.crisis needs patterns or categories');
  });
});
