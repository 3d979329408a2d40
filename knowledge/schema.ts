import { z } from 'zod';

const isoDate = z.iso.date({ message: 'must be a date like 2026-11-23' });

/** A fact the bot states, with where it comes from and when someone last checked it. */
export const Fact = z.object({
  id: z.string().regex(/^[a-z0-9.-]+$/, 'must be lower-case letters, digits, dots and hyphens'),
  statement: z.string().min(1),
  source: z.string().min(1, 'every fact needs a source'),
  lastChecked: isoDate,
});

export const TopicId = z.enum(['gcse', 'post16', 'apprenticeships', 'higher-education', 'jobs']);

export const Topic = z.object({
  id: TopicId,
  /** the button label and what tapping it sends */
  label: z.string().min(1).max(30),
  /** normalised words or phrases that route free text to this topic */
  keywords: z.array(z.string().min(2)).min(1),
  /** answer id given when the topic is chosen */
  answer: z.string().min(1),
});

export const Answer = z.object({
  id: z.string().regex(/^[a-z0-9.-]+$/, 'must be lower-case letters, digits, dots and hyphens'),
  topic: TopicId.optional(),
  /** plain English for ages 11 to 18; {name} placeholders are filled in by the bot */
  text: z.string().min(1),
  /** fact ids this answer states */
  facts: z.array(z.string()).default([]),
  /** true for a stand-in answer that a later content issue replaces */
  placeholder: z.boolean().default(false),
});

export const ContentFile = z.object({
  facts: z.array(Fact).default([]),
  answers: z.array(Answer).default([]),
  topics: z.array(Topic).default([]),
  /** words that bring the main menu back */
  menuWords: z.array(z.string().min(1)).default([]),
});

export type Fact = z.infer<typeof Fact>;
export type Topic = z.infer<typeof Topic>;
export type TopicId = z.infer<typeof TopicId>;
export type Answer = z.infer<typeof Answer>;
export type ContentFile = z.infer<typeof ContentFile>;
