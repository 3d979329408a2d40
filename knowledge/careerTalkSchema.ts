import { z } from 'zod';

const id = z.string().regex(/^[a-z0-9-]+$/, 'must be lower-case letters, digits and hyphens');
/** a phrase, or parts joined by " + " that must all appear ("how + earn") */
const phrase = z.string().min(2);

export const CareerAspect = z.enum(['what', 'routes', 'pay', 'subjects', 'hours', 'registration']);

/** The words that tell a careers question apart from any other message. */
export const LanguageFile = z.object({
  /** phrases that show the message is about a job ("want to be", "become", "job") */
  careerCues: z.array(phrase).min(5),
  /** phrases that show which part of a job is asked about; the order of `aspectOrder` breaks ties */
  aspects: z.record(CareerAspect, z.array(phrase).min(1)),
  aspectOrder: z.array(CareerAspect).length(CareerAspect.options.length),
  /** the aspect answered when a job is named with no question about a part of it */
  defaultAspect: CareerAspect,
  /** words that may stand around a bare job name ("a vet please?") without making it another question */
  fillers: z.array(z.string().min(1)),
  /** words that, just before a job name, make it a person the pupil knows ("my teacher said") */
  ownerWords: z.array(z.string().min(1)).default([]),
  /** words that, just before a job name (past "a" or "the"), leave the job out ("jobs with animals that aren't vet") */
  exceptWords: z.array(z.string().min(1)).default([]),
  /** phrases of a pupil saying they want to be the job ("want to be", "become") */
  wishCues: z.array(phrase).default([]),
  /** phrases of time left out of the rest of a careers message ("I want to be a hairdresser when I leave school") */
  timePhrases: z.array(z.string().min(2)).default([]),
  /** words that make the rest of a message a question of its own ("how", "what", "can") */
  questionWords: z.array(z.string().min(1)).default([]),
  /** careers misspellings and slang spellings, folded before matching */
  spellings: z.record(z.string(), z.string()).default({}),
  /** everyday words that look like a job name but are not one here ("model answer") */
  notCareerWords: z.array(z.string().min(2)).default([]),
});

export const Interest = z.object({
  id,
  /** how replies name it: "art", "helping people" */
  label: z.string().min(2).max(40),
  /** phrases that name the interest in free text */
  phrases: z.array(phrase).min(1),
  families: z.array(id).min(1),
});

export const Family = z.object({
  id,
  title: z.string().min(2).max(40),
  /** one plain sentence about the kind of work */
  text: z.string().min(1),
  profiles: z.array(id).min(3),
});

export const ExplorerQuestion = z.object({
  id,
  text: z.string().min(1),
  options: z
    .array(z.object({ label: z.string().min(1).max(30), interests: z.array(id).min(1) }))
    .min(3)
    .max(8),
});

export const ExplorerFile = z.object({
  /** phrases of a pupil who does not know what to do ("no idea what job") */
  explorePhrases: z.array(phrase).min(5),
  /** phrases that, with an interest, ask for jobs ("what jobs", "careers", "suit me") */
  interestCues: z.array(phrase).min(3),
  interests: z.array(Interest).min(8),
  families: z.array(Family).min(6),
  questions: z.array(ExplorerQuestion).min(2).max(5),
  /** how many families the explorer shows */
  showFamilies: z.object({ min: z.number().int().min(1), max: z.number().int().max(8) }),
});

/** Reply templates: {placeholders} are filled from a profile by careerAnswers.ts. */
export const RepliesFile = z.object({
  aspects: z.record(CareerAspect, z.string().min(1)),
  routeLines: z.record(z.string(), z.string().min(1)),
  levels: z.record(z.string().regex(/^[2-7]$/), z.string().min(1)),
  /** said once under the routes when any route is at that level (funding rules) */
  levelNotes: z.record(z.string().regex(/^[2-7]$/), z.object({ text: z.string().min(1), source: z.string().min(1), checked: z.iso.date(), verified: z.boolean() })).default({}),
  /** a pay range, and a single figure (a set salary), as {range} in the pay templates */
  payRange: z.string().min(1),
  payExact: z.string().min(1),
  payVerified: z.string().min(1),
  payUnverified: z.string().min(1),
  payNoRange: z.string().min(1),
  registrationRequired: z.string().min(1),
  registrationOptional: z.string().min(1),
  registrationNone: z.string().min(1),
  noApprenticeship: z.string().min(1),
  subjectsALevel: z.string().min(1),
  subjectsNoALevel: z.string().min(1),
  /** one line of subjects under the routes: A levels where they help, else GCSEs */
  subjectsLineALevel: z.string().min(1),
  subjectsLineGcse: z.string().min(1),
  readMore: z.string().min(1),
  interest: z.string().min(1),
  familyLine: z.string().min(1),
  family: z.string().min(1),
  explore: z.string().min(1),
  /** the families the explorer's answers point to ({families}: a familyLine each), before their buttons */
  exploreResult: z.string().min(1),
  /** the buttons under a careers answer that show another part of the same job */
  aspectButtons: z.record(CareerAspect, z.string().min(1).max(30)),
});

export type CareerAspect = z.infer<typeof CareerAspect>;
export type LanguageFile = z.infer<typeof LanguageFile>;
export type Interest = z.infer<typeof Interest>;
export type Family = z.infer<typeof Family>;
export type ExplorerQuestion = z.infer<typeof ExplorerQuestion>;
export type ExplorerFile = z.infer<typeof ExplorerFile>;
export type RepliesFile = z.infer<typeof RepliesFile>;
