import { z } from 'zod';

const isoDate = z.iso.date({ message: 'must be a date like 2026-11-23' });
const contentId = z.string().regex(/^[a-z0-9.-]+$/, 'must be lower-case letters, digits, dots and hyphens');

/** A fact the bot states, with where it comes from and when someone last checked it. */
export const Fact = z.object({
  id: contentId,
  statement: z.string().min(1),
  source: z.string().min(1, 'every fact needs a source'),
  lastChecked: isoDate,
  /** first and last day the fact holds (pay rates, fees, deadlines), when it changes by date */
  validFrom: isoDate.optional(),
  validUntil: isoDate.optional(),
});

export const Command = z.enum(['menu', 'back', 'help', 'bye', 'more', 'cancel', 'adviser', 'delete']);

export const TopicId = z.enum(['gcse', 'post16', 'apprenticeships', 'higher-education', 'jobs']);

export const Topic = z.object({
  id: TopicId,
  /** the button label and what tapping it sends */
  label: z.string().min(1).max(30),
  /** normalised words or phrases that point free text at this topic */
  keywords: z.array(z.string().min(2)).min(1),
  /** the answer id that opens the topic (its overview) */
  answer: z.string().min(1),
  /**
   * what the topic's answers are about, as a pupil names it ("apprenticeship"), so a follow-up
   * that names nothing ("how long does that take", "and the pay?") is asked about it; an
   * answer's own `subject` comes first
   */
  subject: z.string().min(2).optional(),
});

/**
 * A version of an answer that applies only on some dates or to some ages. The first variant
 * whose conditions all hold replaces the answer's own text and facts.
 */
export const Variant = z.object({
  validFrom: isoDate.optional(),
  validUntil: isoDate.optional(),
  minAge: z.number().int().min(5).max(25).optional(),
  maxAge: z.number().int().min(5).max(25).optional(),
  text: z.string().min(1),
  facts: z.array(z.string()).default([]),
});

export const Answer = z.object({
  id: contentId,
  topic: TopicId.optional(),
  /** short button label that leads to this answer (needed when another answer lists it as a follow-up) */
  title: z.string().min(1).max(30).optional(),
  /** normalised phrases that route free text straight to this answer */
  triggers: z.array(z.string().min(2)).default([]),
  /** plain English for ages 11 to 18; {name} placeholders are filled in by the bot */
  text: z.string().min(1),
  /** fact ids this answer states */
  facts: z.array(z.string()).default([]),
  /** the answer a "Tell me more" button leads to */
  more: z.string().optional(),
  /** answers offered as buttons after this one */
  followUps: z.array(z.string()).default([]),
  variants: z.array(Variant).default([]),
  /** true when the answer depends on age and the bot should ask for it first if unknown */
  askAge: z.boolean().default(false),
  /** true for an answer about what to do after 16: it must name every route, fairly */
  allRoutes: z.boolean().default(false),
  /** true for a stand-in answer that a later content issue replaces */
  placeholder: z.boolean().default(false),
  /**
   * true for a general answer that a job's own profile answers better when the message names a
   * job (the minimum wage for "how much does an electrician earn", GCSEs for careers in general
   * for "what GCSEs do I need to be a vet"): the careers answer is shown instead
   */
  givesWayToCareer: z.boolean().default(false),
  /** what this answer is about, as a pupil names it ("t level"), for follow-ups that name nothing; else its topic's subject */
  subject: z.string().min(2).optional(),
});

export const ContentFile = z.object({
  facts: z.array(Fact).default([]),
  answers: z.array(Answer).default([]),
  topics: z.array(Topic).default([]),
  /** what a pupil may type anywhere to steer: menu, back, help, bye, more (tell me more), cancel (the adviser request), adviser, delete (delete my data) */
  commands: z.partialRecord(Command, z.array(z.string().min(1))).default({}),
  /** misspelling or txt-speak -> the word the rules use, e.g. "apprentiship": "apprenticeship" */
  spellings: z.record(z.string(), z.string()).default({}),
  /** everyday words that are never "corrected" to a nearby known word (there is not where) */
  keepWords: z.array(z.string().min(1)).default([]),
  /**
   * words and phrases of distress ("so lonely", "cant cope"): a message the bot cannot place that
   * carries one, not just after a negation ("not sad"), gets a check-in instead of "try different words"
   */
  distress: z
    .object({
      phrases: z.array(z.string().min(2)).default([]),
      /** a phrase within two words after one of these does not count */
      negations: z.array(z.string().min(1)).default([]),
    })
    .default({ phrases: [], negations: [] }),
});

export type Fact = z.infer<typeof Fact>;
export type Topic = z.infer<typeof Topic>;
export type TopicId = z.infer<typeof TopicId>;
export type Answer = z.infer<typeof Answer>;
export type Variant = z.infer<typeof Variant>;
export type ContentFile = z.infer<typeof ContentFile>;
export type Command = z.infer<typeof Command>;
export type Distress = ContentFile['distress'];
