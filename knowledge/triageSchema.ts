import { z } from 'zod';

export const FlagName = z.enum([
  'crisis',
  'looked-after',
  'send',
  'young-carer',
  'free-school-meals',
  'wellbeing',
  'neet-risk',
  'asked-for-adviser',
  'impartiality-concern',
  'not-understood',
]);
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
 * `*` any one word; `**` up to three words.
 */
const PatternText = z.string().min(2);

export const FlagRules = z.object({
  patterns: z.array(PatternText).min(1),
  /** a negation just before the match ("I'm not in care") cancels it */
  negatable: z.boolean(),
  /** a career frame just before the match ("I want to be a social worker") cancels it */
  careerFrames: z.boolean(),
  /** patterns that, when they match, cancel this flag for the whole message (idioms) */
  notWhen: z.array(PatternText).default([]),
});

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
  flags: z.partialRecord(FlagName, FlagRules),
});
export type Lexicon = z.infer<typeof Lexicon>;
export type FlagRules = z.infer<typeof FlagRules>;
