import type { SectorId } from './careersSchema';
import type { FlagName, Priority } from './triageSchema';

/**
 * How the adviser console and the insights name each triage flag and priority: one table for
 * both (the console's bundle imports this file), so the two can never name a flag differently.
 * Typed by the flag vocabulary, so a new flag without a label does not compile.
 */
export const FLAG_LABELS: Readonly<Record<FlagName, string>> = {
  crisis: 'Crisis (safeguarding)',
  'looked-after': 'Looked after or care leaver',
  send: 'SEND',
  'young-carer': 'Young carer',
  'free-school-meals': 'Free school meals',
  wellbeing: 'Wellbeing',
  'neet-risk': 'At risk of NEET',
  'asked-for-adviser': 'Asked for an adviser',
  'impartiality-concern': 'Impartiality concern',
  'not-understood': 'Bot did not understand',
};

export const PRIORITY_LABELS: Readonly<Record<Priority, string>> = {
  urgent: 'Urgent',
  high: 'High',
  standard: 'Standard',
};

/** How the insights name each job family (a profile's sector) that career profile views are counted by. */
export const SECTOR_LABELS: Readonly<Record<SectorId, string>> = {
  health: 'Health',
  care: 'Care',
  education: 'Education and childcare',
  construction: 'Construction and trades',
  engineering: 'Engineering and manufacturing',
  digital: 'Digital and computing',
  creative: 'Creative, media and design',
  'animals-land': 'Animals, land and environment',
  'public-services': 'Public services and armed forces',
  law: 'Law',
  'business-finance': 'Business and finance',
  hospitality: 'Hospitality and food',
  'hair-beauty': 'Hair and beauty',
  sport: 'Sport and fitness',
  science: 'Science',
  transport: 'Transport and logistics',
  retail: 'Retail',
};

/** The flags in CONTRACT.md's order, for lists and filters. */
export const FLAG_ORDER: readonly string[] = Object.keys(FLAG_LABELS);

const byFlag: ReadonlyMap<string, string> = new Map(Object.entries(FLAG_LABELS));

/** A flag's label; a flag this build does not know is shown as it is. */
export const flagLabel = (flag: string): string => byFlag.get(flag) ?? flag;
