import { z } from 'zod';

export const FlagName = z.enum(['crisis', 'looked-after', 'send', 'young-carer', 'free-school-meals', 'wellbeing', 'neet-risk', 'asked-for-adviser', 'impartiality-concern', 'not-understood']);
export type FlagName = z.infer<typeof FlagName>;

export const Priority = z.enum(['urgent', 'high', 'standard']);
export type Priority = z.infer<typeof Priority>;

/** CONTRACT.md: the priority each flag gives a conversation. */
export const FLAG_PRIORITY: Record<FlagName, Priority> = {
  crisis: 'urgent',
  'looked-after': 'high',
  send: 'high',
  'young-carer': 'high',
  'free-school-meals': 'high',
  wellbeing: 'high',
  'neet-risk': 'high',
  'asked-for-adviser': 'standard',
  'impartiality-concern': 'standard',
  'not-understood': 'standard',
};

/**
 * A pattern over normalised words: words separated by spaces; `(a|b c)` one of several
 * alternatives (each may be several words); `[a|b]` optional; `{set}` any word of a named set;
 * `*` any one word; `**` up to three words; `...` any number of words; `^` first (the start of
 * the message) and `$` last (its end).
 */
const PatternText = z.string().min(1);

/** A record whose every key must pass `key`; the error names the key and says what it must be. */
function recordWithKeys<V extends z.ZodType>(key: RegExp, keyMessage: string, value: V) {
  return z.record(z.string(), value).superRefine((record, context) => {
    for (const name of Object.keys(record)) if (!key.test(name)) context.addIssue({ code: 'custom', path: [name], message: keyMessage });
  });
}

export const FlagRules = z
  .object({
    /** patterns that belong to no category */
    patterns: z.array(PatternText).default([]),
    /**
     * patterns grouped by the kind of thing they detect (for crisis: the kind of risk), so each
     * kind can be read, reviewed and tested on its own
     */
    categories: recordWithKeys(/^[a-z]+(-[a-z]+)*$/, 'must be lower-case words joined by hyphens', z.array(PatternText).min(1)).default({}),
    /** a negation just before the match ("I'm not in care") cancels it */
    negatable: z.boolean(),
    /** a career frame just before the match ("I want to be a social worker") cancels it */
    careerFrames: z.boolean(),
    /**
     * idioms and third-party frames ("killing me", "children who have been abused"): the words
     * they match are blanked out before this flag's patterns run, so they raise nothing
     */
    notWhen: z.array(PatternText).default([]),
  })
  .refine((rules) => rules.patterns.length > 0 || Object.keys(rules.categories).length > 0, { message: 'needs patterns or categories' });

export const Lexicon = z.object({
  sets: z.record(z.string().regex(/^[a-z]+$/), z.array(z.string().min(1)).min(1)),
  /** words or phrases that negate what follows within `negationWindow` words */
  negations: z.array(z.string().min(1)).min(1),
  negationWindow: z.number().int().min(1).max(6).default(3),
  /** phrases that turn what follows (within `careerFrameWindow` words) into a career interest */
  careerFrames: z.array(z.string().min(1)).min(1),
  careerFrameWindow: z.number().int().min(1).max(8).default(5),
  /** txt-speak and misspellings folded before matching: "kms" stays a pattern, "myslef" -> "myself" */
  spellings: z.record(z.string(), z.string()).default({}),
  /** the only words a near miss is corrected to ("sucidal" to "suicidal"); choose words with no everyday neighbours */
  fuzzyTargets: z.array(z.string().min(7)).default([]),
  /**
   * emoji read as words before matching ("🔪" -> "knife"); an emoji not listed is dropped.
   * List only emoji whose meaning is plain: "💀" means laughing far more often than death.
   */
  emoji: recordWithKeys(/^[^\p{L}\p{N}\s]+$/u, 'must be an emoji, without letters or digits', z.string().regex(/^[a-z]+( [a-z]+)*$/, 'must be lower-case words')).default({}),
  /**
   * letters a digit or sign may stand for inside a word that mixes them with letters
   * ("su1c1dal"); the first letter is the default, another is used when it makes a known word
   */
  leet: recordWithKeys(/^[\p{N}\p{S}\p{P}]$/u, 'must be one digit or sign', z.string().regex(/^[a-z]+$/, 'must be the letters the symbol may stand for')).default({}),
  /** a number with one of these before or after it ("y10", "5pm", "4th") is a number, not letters */
  numberAffixes: z.object({ before: z.array(z.string().regex(/^[a-z]+$/)).default([]), after: z.array(z.string().regex(/^[a-z]+$/)).default([]) }).default({ before: [], after: [] }),
  flags: z.partialRecord(FlagName, FlagRules),
});
export type Lexicon = z.infer<typeof Lexicon>;
export type FlagRules = z.infer<typeof FlagRules>;
