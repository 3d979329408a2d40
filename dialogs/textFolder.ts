import { normalise } from './normalise';

/** Damerau-Levenshtein distance with an early exit once past `limit`. */
export function editDistance(a: string, b: string, limit: number): number {
  if (Math.abs(a.length - b.length) > limit) return limit + 1;
  const rows: number[][] = [];
  for (let i = 0; i <= a.length; i += 1) rows.push([i, ...Array<number>(b.length).fill(0)]);
  for (let j = 0; j <= b.length; j += 1) rows[0][j] = j;
  for (let i = 1; i <= a.length; i += 1) {
    let best = Infinity;
    for (let j = 1; j <= b.length; j += 1) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let value = Math.min(rows[i - 1][j] + 1, rows[i][j - 1] + 1, rows[i - 1][j - 1] + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) value = Math.min(value, rows[i - 2][j - 2] + 1);
      rows[i][j] = value;
      best = Math.min(best, value);
    }
    if (best > limit) return limit + 1;
  }
  return rows[a.length][b.length];
}

/**
 * A rough key for how an English word sounds rather than how it is spelt, so a pupil who
 * writes a word as it sounds ("electrishun", "fizio", "injuneer") meets the word
 * ("electrician", "physio", "engineer"): the spellings said "shun" become one, letters that
 * spell the same sound are merged (ph/f, c/k/s, ch/k, soft g/j, z/s), silent first letters
 * go, double letters count once and every run of vowels is one mark.
 */
export function soundKey(word: string): string {
  return word
    .toLowerCase()
    .replace(/[^a-z]/g, '')
    .replace(/(?:ss?ion|tion|tian|cian|cion|shun|shon|shan|shen|chun)/g, 'shn')
    .replace(/^(?:kn|pn)/, 'n')
    .replace(/^ps/, 's')
    .replace(/^wr/, 'r')
    .replace(/ph/g, 'f')
    .replace(/wh/g, 'w')
    .replace(/dg/g, 'j')
    .replace(/gh/g, '')
    .replace(/ch/g, 'k')
    .replace(/ck/g, 'k')
    .replace(/g(?=[eiy])/g, 'j')
    .replace(/q/g, 'k')
    .replace(/x/g, 'ks')
    .replace(/c(?=[eiy])/g, 's')
    .replace(/c/g, 'k')
    .replace(/z/g, 's')
    .replace(/(?!^)y/g, 'i')
    .replace(/([a-z])\1+/g, '$1')
    .replace(/[aeiou]+/g, 'a');
}

/** Sound keys shorter than this match too many unrelated words to be used. */
const MIN_SOUND_KEY = 4;

/**
 * Folds a pupil's text onto the words the rules know: normalise, squash stretched letters
 * ("pleeease"), apply the content's spelling and txt-speak list, and correct a near miss of a
 * known word ("apprentiship"). Built once at start; folding is a few map look-ups per word.
 */
export class TextFolder {
  private readonly vocabulary: Set<string>;
  private readonly byLength = new Map<number, string[]>();
  private readonly bySound = new Map<string, string[]>();
  private readonly spellings: Map<string, string>;
  private readonly cache = new Map<string, string>();

  private readonly keep: Set<string>;

  constructor(
    vocabularyPhrases: Iterable<string>,
    spellings: Record<string, string>,
    keepWords: Iterable<string> = [],
    /** shorter words are never corrected: near misses among short words are too often real words */
    private readonly minFuzzyLength = 5,
  ) {
    this.keep = new Set([...keepWords].map(normalise));
    this.spellings = new Map(Object.entries(spellings).map(([from, to]) => [normalise(from), normalise(to)]));
    this.vocabulary = new Set();
    for (const phrase of vocabularyPhrases) for (const word of normalise(phrase).split(' ')) if (word) this.vocabulary.add(word);
    for (const word of this.vocabulary) {
      const list = this.byLength.get(word.length) ?? [];
      list.push(word);
      this.byLength.set(word.length, list);
      const key = soundKey(word);
      if (key.length >= MIN_SOUND_KEY) this.bySound.set(key, [...(this.bySound.get(key) ?? []), word]);
    }
  }

  /** The known words, for another folder that must never "correct" them. */
  words(): Iterable<string> {
    return this.vocabulary;
  }

  fold(text: string): string {
    return this.foldNormalised(normalise(text));
  }

  /** fold() of text that has already been through normalise(). */
  foldNormalised(normal: string): string {
    return normal
      .split(' ')
      .filter(Boolean)
      .map((word) => this.foldWord(word))
      .join(' ');
  }

  private foldWord(word: string): string {
    const cached = this.cache.get(word);
    if (cached !== undefined) return cached;
    const folded = this.correct(word);
    if (this.cache.size < 50_000) this.cache.set(word, folded);
    return folded;
  }

  private correct(word: string): string {
    // The spelling list is the content writers' explicit word: it wins over the vocabulary.
    const spelled = this.spellings.get(word);
    if (spelled !== undefined) return spelled;
    if (this.vocabulary.has(word)) return word;
    if (this.keep.has(word)) return word;
    // Only stretched runs ("sooo", "helllp") are squashed: folding every double letter would
    // turn real words into others ("career" into "carer").
    const squashed = word.replace(/(\p{L})\1{2,}/gu, '$1$1');
    if (squashed !== word) {
      if (this.vocabulary.has(squashed)) return squashed;
      const respelled = this.spellings.get(squashed);
      if (respelled !== undefined) return respelled;
      const single = word.replace(/(\p{L})\1{2,}/gu, '$1');
      if (this.vocabulary.has(single)) return single;
    }
    // A stretched word nobody knows is still squashed, so "sooooo sad" reads as "soo sad".
    if (word.length < this.minFuzzyLength || /\d/.test(word)) return squashed;
    const limit = word.length >= 9 ? 2 : 1;
    let best: { word: string; distance: number } | undefined;
    for (let length = word.length - limit; length <= word.length + limit; length += 1) {
      for (const candidate of this.byLength.get(length) ?? []) {
        const distance = editDistance(word, candidate, limit);
        if (distance <= limit && (!best || distance < best.distance)) best = { word: candidate, distance };
      }
    }
    return best?.word ?? this.soundsLike(word) ?? squashed;
  }

  /** A known word spelt as this one sounds ("electrishun": "electrician"), the closest if several. */
  private soundsLike(word: string): string | undefined {
    const key = soundKey(word);
    if (key.length < MIN_SOUND_KEY) return undefined;
    let best: { word: string; distance: number } | undefined;
    for (const candidate of this.bySound.get(key) ?? []) {
      const distance = editDistance(word, candidate, word.length + candidate.length);
      if (!best || distance < best.distance) best = { word: candidate, distance };
    }
    return best?.word;
  }
}
