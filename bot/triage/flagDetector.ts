import { normalise } from '../../dialogs/normalise';
import { TextFolder } from '../../dialogs/textFolder';
import type { Lexicon } from '../../knowledge/triageSchema';
import { FLAG_PRIORITY, FlagName, type Priority } from '../../knowledge/triageSchema';
import { compilePattern, firstWords, patternWords } from './patternCompiler';
import { SymbolDecoder } from './symbolDecoder';

export interface Detection {
  flags: FlagName[];
  crisis: boolean;
}

/** Why a flag is raised: its pattern that matched, and the category that pattern belongs to. */
export interface Explanation {
  flag: FlagName;
  category: string | undefined;
  pattern: string;
}

interface CompiledPattern {
  regex: RegExp;
  category: string | undefined;
  source: string;
}

interface CompiledFlag {
  flag: FlagName;
  /** the patterns that can begin with a word, by word; `anyStart` can begin anywhere */
  byFirstWord: Map<string, CompiledPattern[]>;
  anyStart: CompiledPattern[];
  /** idioms and frames, each with the words it can begin with (undefined: any) */
  notWhen: { regex: RegExp; starts: Set<string> | undefined }[];
  negatable: boolean;
  careerFrames: boolean;
}

interface WordStart {
  at: number;
  word: string;
}

/** Where each word of ` padded ` text (single spaces, one at each end) begins. */
function wordStarts(padded: string): WordStart[] {
  const starts: WordStart[] = [];
  for (let at = 1, end = padded.indexOf(' ', at); end > at; at = end + 1, end = padded.indexOf(' ', at)) {
    starts.push({ at, word: padded.slice(at, end) });
  }
  return starts;
}

const PRIORITY_RANK: Record<Priority, number> = { urgent: 0, high: 1, standard: 2 };

export function priorityOf(flags: readonly FlagName[]): Priority | undefined {
  return flags.map((flag) => FLAG_PRIORITY[flag]).sort((a, b) => PRIORITY_RANK[a] - PRIORITY_RANK[b])[0];
}

/**
 * Deterministic triage over normalised text: every flag's patterns are compiled once at start.
 * A match counts unless a negation ("not", "dont") or, for self-declarations, a career frame
 * ("want to be", "work in") stands just before it, or its words belong to an idiom or a
 * third-party frame listed for the flag ("killing me", "children who have been abused").
 */
export class FlagDetector {
  private readonly flags: CompiledFlag[];
  private readonly folder: TextFolder;
  private readonly decoder: SymbolDecoder;
  private readonly negations: string[];
  private readonly careerFrames: string[];

  /**
   * `keepWords`: real words (the guidance vocabulary, everyday words) that must never be
   * "corrected" into a triage word, as "career" could be into "carer".
   */
  constructor(
    private readonly lexicon: Lexicon,
    keepWords: Iterable<string> = [],
  ) {
    const sets = Object.fromEntries(Object.entries(lexicon.sets).map(([name, entries]) => [name, entries.map(normalise)]));
    this.flags = FlagName.options.flatMap((flag) => {
      const rules = lexicon.flags[flag];
      if (!rules) return [];
      const sources = [
        ...rules.patterns.map((source) => ({ source, category: undefined })),
        ...Object.entries(rules.categories).flatMap(([category, patterns]) => patterns.map((source) => ({ source, category }))),
      ];
      const byFirstWord = new Map<string, CompiledPattern[]>();
      const anyStart: CompiledPattern[] = [];
      for (const { source, category } of sources) {
        // Sticky: each is tried only where a word it can begin with stands in the message.
        const compiled = { regex: compilePattern(source, sets, 'y'), category, source };
        const starts = firstWords(source, sets);
        if (!starts) anyStart.push(compiled);
        else for (const word of starts) byFirstWord.set(word, [...(byFirstWord.get(word) ?? []), compiled]);
      }
      return [
        {
          flag,
          byFirstWord,
          anyStart,
          notWhen: rules.notWhen.map((pattern) => ({ regex: compilePattern(pattern, sets, 'g'), starts: firstWords(pattern, sets) })),
          negatable: rules.negatable,
          careerFrames: rules.careerFrames,
        },
      ];
    });
    // Near misses are corrected only towards a short list of often-misspelt words, and only in
    // long words: a wrong correction ("artistic" to "autistic") raises or hides a flag.
    this.folder = new TextFolder(lexicon.fuzzyTargets, lexicon.spellings, keepWords, 7);
    this.decoder = new SymbolDecoder(lexicon, knownWords(lexicon, sets), new Set(Object.keys(lexicon.spellings).map(normalise)));
    this.negations = lexicon.negations.map(normalise);
    this.careerFrames = lexicon.careerFrames.map(normalise);
  }

  /**
   * The text the patterns see: emoji and digit-spelt words read as words, normalised, stretched
   * letters squashed, txt-speak folded.
   */
  fold(text: string): string {
    return this.folder.foldNormalised(this.decoder.decode(text));
  }

  detect(text: string): Detection {
    const padded = ` ${this.fold(text)} `;
    const words = wordStarts(padded);
    const raised = this.flags.filter((rules) => this.raises(rules, padded, words)).map((rules) => rules.flag);
    const flags = [...new Set(raised)].sort((a, b) => PRIORITY_RANK[FLAG_PRIORITY[a]] - PRIORITY_RANK[FLAG_PRIORITY[b]]);
    return { flags, crisis: flags.includes('crisis') };
  }

  /** Every pattern that counts in `text`, with its flag and category: for tests and reviews, not turns. */
  explain(text: string): Explanation[] {
    const padded = ` ${this.fold(text)} `;
    const words = wordStarts(padded);
    return this.flags.flatMap((rules) => this.matches(rules, padded, words).map(({ category, source }) => ({ flag: rules.flag, category, pattern: source })));
  }

  /**
   * Whether any pattern of the flag counts in `padded`. Each pattern is tried only where a word it
   * can begin with stands in the message (most messages raise nothing, and scanning every
   * pattern over every message was most of a turn).
   */
  private raises(rules: CompiledFlag, padded: string, words: WordStart[]): boolean {
    let text: string | undefined;
    for (const { at, word } of words) {
      const patterns = rules.byFirstWord.get(word);
      if (!patterns && rules.anyStart.length === 0) continue;
      text ??= this.mask(rules, padded, words);
      // Every match counts: a negated first one ("not stressed about exams") must not hide a later one.
      for (const pattern of rules.anyStart) if (this.matchesAt(rules, pattern.regex, text, at)) return true;
      for (const pattern of patterns ?? []) if (this.matchesAt(rules, pattern.regex, text, at)) return true;
    }
    return false;
  }

  /** Every pattern of the flag that counts in `padded`. */
  private matches(rules: CompiledFlag, padded: string, words: WordStart[]): CompiledPattern[] {
    const text = this.mask(rules, padded, words);
    const found = new Set<CompiledPattern>();
    for (const { at, word } of words) {
      for (const pattern of [...rules.anyStart, ...(rules.byFirstWord.get(word) ?? [])]) {
        if (!found.has(pattern) && this.matchesAt(rules, pattern.regex, text, at)) found.add(pattern);
      }
    }
    return [...found];
  }

  /**
   * An idiom blanks out only its own words, so "killing myself laughing" is not a crisis but a
   * real crisis later in the same message still is. Only idioms that can begin with a word of the
   * message are tried, as for the patterns.
   */
  private mask(rules: CompiledFlag, padded: string, words: WordStart[]): string {
    let masked = padded;
    for (const { regex, starts } of rules.notWhen) {
      if (starts && !words.some(({ word }) => starts.has(word))) continue;
      masked = masked.replace(regex, (match) => match.replace(/\S/g, '_'));
    }
    return masked;
  }

  /** `pattern` matches `text` at `at` and no negation or career frame stands just before it. */
  private matchesAt(rules: CompiledFlag, pattern: RegExp, text: string, at: number): boolean {
    pattern.lastIndex = at;
    if (!pattern.test(text)) return false;
    const before = text.slice(0, at).trim().split(' ');
    if (rules.negatable && this.within(before, this.negations, this.lexicon.negationWindow)) return false;
    if (rules.careerFrames && this.within(before, this.careerFrames, this.lexicon.careerFrameWindow)) return false;
    return true;
  }

  private within(before: string[], cues: string[], window: number): boolean {
    const recent = ` ${before.slice(-window).join(' ')} `;
    return cues.some((cue) => recent.includes(` ${cue} `));
  }
}

/** Every word the lexicon's patterns and sets use, so a digit-spelt word is read as one of them. */
function knownWords(lexicon: Lexicon, sets: Record<string, string[]>): Set<string> {
  const patterns = Object.values(lexicon.flags).flatMap((rules) => (rules ? [...rules.patterns, ...Object.values(rules.categories).flat()] : []));
  return new Set(
    [...patterns.flatMap(patternWords), ...Object.values(sets).flat(), ...lexicon.fuzzyTargets, ...Object.values(lexicon.spellings)]
      .map(normalise)
      .flatMap((phrase) => phrase.split(' '))
      .filter(Boolean),
  );
}
