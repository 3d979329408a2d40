import { Culture, recognizeAge, recognizeBoolean, recognizeNumber } from '@microsoft/recognizers-text-suite';
import { normalise } from './normalise';

/** What the bot may remember about a pupil to fit its answers: nothing else. */
export interface PupilProfile {
  age?: number;
  yearGroup?: number;
}

const MIN_AGE = 10;
const MAX_AGE = 25;

const yearPattern = /\b(?:year|yr|y)\s?(7|8|9|10|11|12|13)\b/;
const agePatterns = [
  /\b(?:i am|im|i m|am|aged|age)\s(1[0-9]|2[0-5])\b(?!\s*(?:hours|hrs|pounds|quid|percent))/,
  /\b(1[0-9]|2[0-5])\s?(?:yo|yrs old|years old|year old|yr old)\b/,
  // "can I work 12 hours a week at 15": an age, where a time would have am, pm or minutes after it
  /\bat (1[2-9])\b(?!\s*(?:\d|am|pm|a m|p m|oclock|o clock|hours?|hrs?|mins?|minutes|percent|pounds|quid|at night|in the (?:morning|evening)|tonight))/,
];

function plausibleAge(value: number): number | undefined {
  return Number.isInteger(value) && value >= MIN_AGE && value <= MAX_AGE ? value : undefined;
}

/**
 * Reads ages and year groups the pupil mentions in passing ("I'm 14", "year 10"). Cheap rules
 * first; the recognizers' Age model only when the text mentions years or old.
 */
export function readProfileMentions(text: string): PupilProfile {
  const folded = normalise(text);
  const found: PupilProfile = {};
  const year = yearPattern.exec(folded);
  if (year) found.yearGroup = Number(year[1]);
  for (const pattern of agePatterns) {
    const match = pattern.exec(folded);
    const age = match ? plausibleAge(Number(match[1])) : undefined;
    if (age !== undefined) {
      found.age = age;
      return found;
    }
  }
  if (/\bold\b|\byears?\b/.test(folded) && !year) {
    const age = recognizeAge(text, Culture.English)[0]?.resolution?.value;
    const value = age === undefined ? undefined : plausibleAge(Number(age));
    if (value !== undefined) found.age = value;
  }
  return found;
}

/** An answer to "How old are you?": "14", "fourteen", "I'm 15", "year 9". */
export function readAgeAnswer(text: string): PupilProfile {
  const mentioned = readProfileMentions(text);
  if (mentioned.age !== undefined || mentioned.yearGroup !== undefined) return mentioned;
  const number = recognizeNumber(text, Culture.English)[0]?.resolution?.value;
  const age = number === undefined ? undefined : plausibleAge(Number(number));
  return age === undefined ? {} : { age };
}

/** Slang the Choice recognizer's English model does not know. */
const slangYesNo = new Map<string, boolean>([
  ['yeah', true],
  ['yea', true],
  ['ya', true],
  ['yh', true],
  ['ye', true],
  ['yeh', true],
  ['aye', true],
  ['nah', false],
  ['na', false],
  ['nope', false],
  ['no ta', false],
]);

export function readYesNo(text: string): boolean | undefined {
  const slang = slangYesNo.get(normalise(text));
  if (slang !== undefined) return slang;
  const value = recognizeBoolean(text, Culture.English)[0]?.resolution?.value;
  return typeof value === 'boolean' ? value : undefined;
}

/** The words of a reply besides its yes or no ("no, how do I become a nurse": "how do I become a nurse"); empty when there are none. */
export function besidesYesNo(text: string): string {
  if (slangYesNo.has(normalise(text))) return '';
  const found = recognizeBoolean(text, Culture.English)[0];
  if (!found) return '';
  return `${text.slice(0, found.start)} ${text.slice(found.end + 1)}`.replace(/^[\s,.;:!-]+|\s+$/g, '');
}

/** The age to fit answers to: given, or the youngest age in the year group. */
export function effectiveAge(profile: PupilProfile): number | undefined {
  if (profile.age !== undefined) return profile.age;
  return profile.yearGroup !== undefined ? profile.yearGroup + 4 : undefined;
}

/** Pays the recognizers' model-loading cost at start-up rather than on a pupil's turn. */
export function warmRecognizers(): void {
  recognizeAge('I am 14 years old', Culture.English);
  recognizeNumber('fourteen', Culture.English);
  recognizeBoolean('yes', Culture.English);
}
