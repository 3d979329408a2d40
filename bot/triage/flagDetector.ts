import { normalise } from '../../dialogs/normalise';
import { TextFolder } from '../../dialogs/textFolder';
import type { Lexicon } from '../../knowledge/triageSchema';
import { FLAG_PRIORITY, FlagName, type Priority } from '../../knowledge/triageSchema';
import { compilePattern } from './patternCompiler';

export interface Detection {
  flags: FlagName[];
  crisis: boolean;
}

interface CompiledFlag {
  flag: FlagName;
  patterns: RegExp[];
  notWhen: RegExp[];
  negatable: boolean;
  careerFrames: boolean;
}

const PRIORITY_RANK: Record<Priority, number> = { urgent: 0, high: 1, standard: 2 };

export function priorityOf(flags: readonly FlagName[]): Priority | undefined {
  return flags.map((flag) => FLAG_PRIORITY[flag]).sort((a, b) => PRIORITY_RANK[a] - PRIORITY_RANK[b])[0];
}

/**
 * Deterministic triage over normalised text: every flag's patterns are compiled once at start.
 * A match counts unless a negation ("not", "dont") or, for self-declarations, a career frame
 * ("want to be", "work in") stands just before it, or an idiom listed for the flag is present.
 */
export class FlagDetector {
  private readonly flags: CompiledFlag[];
  private readonly folder: TextFolder;
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
      return [
        {
          flag,
          patterns: rules.patterns.map((pattern) => compilePattern(pattern, sets)),
          notWhen: rules.notWhen.map((pattern) => compilePattern(pattern, sets)),
          negatable: rules.negatable,
          careerFrames: rules.careerFrames,
        },
      ];
    });
    const vocabulary = [...Object.values(lexicon.flags).flatMap((rules) => rules?.patterns ?? []), ...Object.values(lexicon.sets).flat()].map((pattern) => pattern.replace(/[^a-z0-9 ]/g, ' '));
    // Triage corrects only long words: a wrong correction here raises or hides a safeguarding flag.
    this.folder = new TextFolder(vocabulary, lexicon.spellings, keepWords, 7);
    this.negations = lexicon.negations.map(normalise);
    this.careerFrames = lexicon.careerFrames.map(normalise);
  }

  /** The text the patterns see: normalised, stretched letters squashed, txt-speak folded. */
  fold(text: string): string {
    return this.folder.fold(normalise(text).replace(/(\p{L})\1{2,}/gu, '$1$1'));
  }

  detect(text: string): Detection {
    const padded = ` ${this.fold(text)} `;
    const raised = this.flags.filter((rules) => this.raises(rules, padded)).map((rules) => rules.flag);
    const flags = [...new Set(raised)].sort((a, b) => PRIORITY_RANK[FLAG_PRIORITY[a]] - PRIORITY_RANK[FLAG_PRIORITY[b]]);
    return { flags, crisis: flags.includes('crisis') };
  }

  private raises(rules: CompiledFlag, padded: string): boolean {
    if (rules.notWhen.some((idiom) => idiom.test(padded))) return false;
    return rules.patterns.some((pattern) => {
      const match = pattern.exec(padded);
      if (!match) return false;
      const before = padded.slice(0, match.index).trim().split(' ');
      if (rules.negatable && this.within(before, this.negations, this.lexicon.negationWindow)) return false;
      if (rules.careerFrames && this.within(before, this.careerFrames, this.lexicon.careerFrameWindow)) return false;
      return true;
    });
  }

  private within(before: string[], cues: string[], window: number): boolean {
    const recent = ` ${before.slice(-window).join(' ')} `;
    return cues.some((cue) => recent.includes(` ${cue} `));
  }
}
