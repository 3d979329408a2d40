import { z } from 'zod';

const isoDate = z.iso.date({ message: 'must be a date like 2026-12-07' });
const careerId = z.string().regex(/^[a-z0-9-]+$/, 'must be lower-case letters, digits and hyphens');
const url = z.url({ protocol: /^https$/, message: 'must be an https:// address' });

export const SectorId = z.enum([
  'health',
  'care',
  'education',
  'construction',
  'engineering',
  'digital',
  'creative',
  'animals-land',
  'public-services',
  'law',
  'business-finance',
  'hospitality',
  'hair-beauty',
  'sport',
  'science',
  'transport',
  'retail',
]);

/**
 * Where a fact comes from and when it was recorded. `verified` is true only when someone read
 * the figure or statement in that source on `checked`; false means it was written from what the
 * source is known to say, not re-read, so the bot words it with care and points to the source.
 */
const cited = {
  /** a key of sources.json, or "ncs" for this profile's National Careers Service page */
  source: z.string().min(1, 'every fact needs a source'),
  checked: isoDate,
  verified: z.boolean(),
};

export const RouteKind = z.enum(['apprenticeship', 'degree-apprenticeship', 't-level', 'college', 'degree', 'direct', 'joining']);

export const Route = z
  .object({
    kind: RouteKind,
    /** the apprenticeship standard, T Level or course, as its official name has it */
    name: z.string().min(1).max(90).optional(),
    /** apprenticeship levels: 2 (GCSE standard) up to 7 (master's degree standard) */
    levels: z.array(z.number().int().min(2).max(7)).optional(),
    /** one or two plain sentences on this way in */
    text: z.string().min(1),
    ...cited,
  })
  .superRefine((route, ctx) => {
    const apprenticeship = route.kind === 'apprenticeship' || route.kind === 'degree-apprenticeship';
    if (apprenticeship && !(route.levels && route.levels.length > 0)) ctx.addIssue({ code: 'custom', path: ['levels'], message: 'an apprenticeship route needs its level(s)' });
    if (route.kind === 'degree-apprenticeship' && route.levels?.some((level) => level < 6)) ctx.addIssue({ code: 'custom', path: ['levels'], message: 'a degree apprenticeship is at level 6 or 7' });
    if ((apprenticeship || route.kind === 't-level') && !route.name) ctx.addIssue({ code: 'custom', path: ['name'], message: `a ${route.kind} route needs the name of the standard or T Level` });
  });

export const Pay = z
  .object({
    /** yearly pay in pounds, for a full-time worker: new starter to experienced */
    low: z.number().int().min(5000).max(300000).optional(),
    high: z.number().int().min(5000).max(300000).optional(),
    /** what the range covers, or why there is none (self-employed, pay per show) */
    note: z.string().min(1).optional(),
    ...cited,
  })
  .superRefine((pay, ctx) => {
    if ((pay.low === undefined) !== (pay.high === undefined)) ctx.addIssue({ code: 'custom', path: ['high'], message: 'must be given with low, or neither given' });
    if (pay.low !== undefined && pay.high !== undefined && pay.low > pay.high) ctx.addIssue({ code: 'custom', path: ['low'], message: 'must not be above high' });
    if (pay.low === undefined && !pay.note) ctx.addIssue({ code: 'custom', path: ['note'], message: 'is needed to say why there is no pay range' });
  });

export const CareerProfile = z.object({
  id: careerId,
  /** as it reads mid-sentence: "electrician", "PE teacher" */
  title: z.string().min(2).max(40),
  /** "a" or "an" before the title, when the first letter misleads ("an MP") */
  article: z.enum(['a', 'an']).optional(),
  sector: SectorId,
  /** every way a pupil may name the job: synonyms and slang; plurals are added by the matcher */
  names: z.array(z.string().min(2)).min(1),
  summary: z.object({ text: z.string().min(1), ...cited }),
  routes: z.array(Route).min(1, 'every profile needs at least one route in'),
  /** stated when no apprenticeship leads to this job, so leaving one out is never an oversight */
  noApprenticeship: z.object({ text: z.string().min(1), ...cited }).optional(),
  subjects: z.object({
    gcse: z.array(z.string().min(2)).min(1),
    aLevel: z.array(z.string().min(2)).default([]),
    /** what courses usually ask for, in plain words */
    text: z.string().min(1),
    ...cited,
  }),
  registration: z
    .object({
      body: z.string().min(2),
      required: z.boolean(),
      text: z.string().min(1),
      ...cited,
    })
    .optional(),
  pay: Pay,
  hours: z.object({ text: z.string().min(1), ...cited }),
  /** the slug of https://nationalcareers.service.gov.uk/job-profiles/<slug> */
  ncs: z.string().regex(/^[a-z0-9-]+$/, 'must be an NCS job profile slug'),
  links: z.array(z.object({ name: z.string().min(2), url })).default([]),
});

export const CareersFile = z.object({
  profiles: z.array(CareerProfile).min(1),
});

export const Source = z.object({
  name: z.string().min(2),
  url: url.optional(),
  /**
   * a copy or report of the figures by someone else (a calculator site, a news report, a training
   * provider), not the body that sets them: a fact may cite it, but is never marked verified from it
   */
  thirdParty: z.boolean().optional(),
});

export const SourcesFile = z.object({
  sources: z.record(z.string().regex(/^[a-z0-9-]+$/), Source),
  /** the T Levels taught in England, so a profile can only name a real one */
  tLevels: z.array(z.string().min(3)).min(10),
  /** apprenticeship standards (name, level) and the profiles they lead to: the impartiality cross-check */
  apprenticeshipStandards: z.array(z.object({ name: z.string().min(3), level: z.number().int().min(2).max(7), profiles: z.array(careerId).min(1) })),
});

export type SectorId = z.infer<typeof SectorId>;
export type RouteKind = z.infer<typeof RouteKind>;
export type CareerRoute = z.infer<typeof Route>;
export type CareerPay = z.infer<typeof Pay>;
export type CareerProfile = z.infer<typeof CareerProfile>;
export type CareersFile = z.infer<typeof CareersFile>;
export type Source = z.infer<typeof Source>;
export type SourcesFile = z.infer<typeof SourcesFile>;
