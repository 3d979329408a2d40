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

/** The flags in CONTRACT.md's order, for lists and filters. */
export const FLAG_ORDER: readonly string[] = Object.keys(FLAG_LABELS);

const byFlag: ReadonlyMap<string, string> = new Map(Object.entries(FLAG_LABELS));

/** A flag's label; a flag this build does not know is shown as it is. */
export const flagLabel = (flag: string): string => byFlag.get(flag) ?? flag;
