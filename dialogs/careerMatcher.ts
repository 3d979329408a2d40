import { normalise } from './normalise';
import { TextFolder } from './textFolder';
import type { Careers } from '../knowledge/loadCareers';
import type { CareerProfile } from '../knowledge/careersSchema';
import type { CareerAspect, Interest } from '../knowledge/careerTalkSchema';

export type CareerMatch =
  /**
   * a job was named; `aspectAsked` is false when the aspect is the default (no part was asked
   * about); `rest` is the rest of the message, folded, without the job's name; `wish` is true when
   * the pupil says they want to be it ("I want to be", "become"), and `restAsks` when the rest has
   * a question word in it
   */
  | { kind: 'career'; profile: CareerProfile; aspect: CareerAspect; aspectAsked: boolean; rest: string; wish: boolean; restAsks: boolean }
  /** "what jobs can I do if I like art": the interests named, in the order of explorer.json */
  | { kind: 'interest'; interests: Interest[] }
  /** "I don't know what I want to do" */
  | { kind: 'explore' }
  | { kind: 'none' };

export interface CareerMatcherOptions {
  /** the content's misspellings and txt-speak ("u": "you", "wanna": "want to") */
  spellings?: Record<string, string>;
  /** everyday words never "corrected" to a nearby known word */
  keepWords?: Iterable<string>;
  /** words other rules know (the answer router's), so they are never "corrected" to a job name */
  knownWords?: Iterable<string>;
}

interface NamePhrase {
  words: string[];
  profile: CareerProfile;
  /** the name is also an interest ("law", "coaching"): "jobs in law" asks about the interest */
  alsoInterest: boolean;
}

/** A phrase, or parts joined by " + " that must all appear, each padded for a whole-word includes(). */
type Cue = string[];

/**
 * Recognises careers questions in free text: which job (by any of its names, slang, plurals and
 * common misspellings), which part of it is asked about, an interest ("jobs for people who like
 * art") or a pupil who does not know what to do. Everything is built once at start; matching a
 * message is a fold of its words and a few map look-ups per word.
 */
export class CareerMatcher {
  readonly folder: TextFolder;
  private readonly namesByFirstWord = new Map<string, NamePhrase[]>();
  private readonly careerCues: Cue[];
  private readonly aspectCues: { aspect: CareerAspect; cues: Cue[] }[];
  private readonly fillers: Set<string>;
  private readonly ownerWords: Set<string>;
  private readonly exceptWords: Set<string>;
  private readonly wishCues: Cue[];
  private readonly questionWords: Set<string>;
  /** padded, longest first */
  private readonly timePhrases: string[];
  private readonly interests: { interest: Interest; cues: Cue[] }[];
  private readonly interestCues: Cue[];
  private readonly explorePhrases: Cue[];

  constructor(
    private readonly careers: Careers,
    options: CareerMatcherOptions = {},
  ) {
    const { language, explorer } = careers;
    const vocabulary: string[] = [...(options.knownWords ?? [])];
    const names: { phrase: string; profile: CareerProfile }[] = [];
    for (const profile of careers.profiles) {
      for (const name of new Set([profile.title, ...profile.names].map(normalise))) {
        for (const form of [name, plural(name)]) names.push({ phrase: form, profile });
      }
    }
    vocabulary.push(...names.map(({ phrase }) => phrase), ...language.careerCues.flatMap(splitCue), ...Object.values(language.aspects).flat().flatMap(splitCue));
    vocabulary.push(...language.fillers, ...explorer.explorePhrases, ...explorer.interestCues.flatMap(splitCue), ...explorer.interests.flatMap((interest) => interest.phrases));
    this.folder = new TextFolder(vocabulary, { ...(options.spellings ?? {}), ...language.spellings }, [...(options.keepWords ?? []), ...language.notCareerWords]);
    const fold = (phrase: string) => this.folder.fold(phrase);
    const cue = (phrase: string): Cue => splitCue(phrase).map((part) => ` ${fold(part)} `);

    const interestWords = new Set(explorer.interests.flatMap((interest) => interest.phrases.map(fold)));
    for (const { phrase, profile } of names) {
      const folded = fold(phrase);
      // A form the spelling list rewrites is another word ("hrs", the plural of "hr", is "hours").
      if (folded !== phrase) continue;
      const words = folded.split(' ').filter(Boolean);
      if (words.length === 0) continue;
      const list = this.namesByFirstWord.get(words[0]) ?? [];
      if (!list.some((known) => known.profile === profile && known.words.join(' ') === folded)) list.push({ words, profile, alsoInterest: interestWords.has(folded) });
      this.namesByFirstWord.set(words[0], list);
    }
    // Asking about a part of a job ("do electricians need to register") also shows a job is meant.
    this.careerCues = [...language.careerCues, ...Object.values(language.aspects).flat()].map(cue);
    this.aspectCues = language.aspectOrder.map((aspect) => ({ aspect, cues: language.aspects[aspect].map(cue) }));
    this.fillers = new Set(language.fillers.map(fold));
    this.ownerWords = new Set(language.ownerWords.map(fold));
    this.exceptWords = new Set(language.exceptWords.map(fold));
    this.wishCues = language.wishCues.map(cue);
    this.questionWords = new Set(language.questionWords.map(fold));
    this.timePhrases = language.timePhrases.map((phrase) => ` ${fold(phrase)} `).sort((a, b) => b.length - a.length);
    this.interests = explorer.interests.map((interest) => ({ interest, cues: interest.phrases.map(cue) }));
    this.interestCues = explorer.interestCues.map(cue);
    this.explorePhrases = explorer.explorePhrases.map(cue);
  }

  match(text: string): CareerMatch {
    const words = this.folder.fold(text).split(' ').filter(Boolean);
    if (words.length === 0) return { kind: 'none' };
    const padded = ` ${words.join(' ')} `;
    const named = this.findName(words);
    const asksForJobs = this.interestCues.some((cue) => has(padded, cue));
    const interests = asksForJobs ? this.interestsInPadded(padded) : [];
    const before = named ? wordBefore(words, named.start) : undefined;
    const notAsked = before !== undefined && (this.ownerWords.has(before) || this.exceptWords.has(before));
    if (named && !notAsked && !(named.phrase.alsoInterest && interests.length > 0)) {
      const rest = [...words.slice(0, named.start), ...words.slice(named.end)];
      const restPadded = ` ${rest.join(' ')} `;
      const cued = this.careerCues.some((cue) => has(padded, cue));
      const bare = rest.every((word) => this.fillers.has(word));
      if (cued || bare) {
        const asked = this.aspectIn(restPadded);
        return {
          kind: 'career',
          profile: named.phrase.profile,
          aspect: asked ?? this.careers.language.defaultAspect,
          aspectAsked: asked !== undefined,
          rest: this.withoutTime(rest.join(' ')),
          wish: this.wishCues.some((wish) => has(padded, wish)),
          restAsks: rest.some((word) => this.questionWords.has(word)),
        };
      }
    }
    if (interests.length > 0) return { kind: 'interest', interests };
    if (this.explorePhrases.some((cue) => has(padded, cue))) return { kind: 'explore' };
    return { kind: 'none' };
  }

  /**
   * The part of a job a follow-up asks about when it names no job ("which GCSEs matter",
   * "and the pay?"), for a caller that knows the job just discussed.
   */
  aspectOf(text: string): CareerAspect | undefined {
    return this.aspectIn(` ${this.folder.fold(text)} `);
  }

  /** Interests named in an answer to an explorer question, where no "jobs" cue is needed. */
  interestsIn(text: string): Interest[] {
    return this.interestsInPadded(` ${this.folder.fold(text)} `);
  }

  private aspectIn(padded: string): CareerAspect | undefined {
    return this.aspectCues.find(({ cues }) => cues.some((cue) => has(padded, cue)))?.aspect;
  }

  private interestsInPadded(padded: string): Interest[] {
    return this.interests.filter(({ cues }) => cues.some((cue) => has(padded, cue))).map(({ interest }) => interest);
  }

  /** The rest of a careers message without when the pupil means ("when I leave school"), which is no question of its own. */
  private withoutTime(rest: string): string {
    let padded = ` ${rest} `;
    for (const phrase of this.timePhrases) padded = padded.split(phrase).join(' ');
    return padded.trim().replace(/ +/g, ' ');
  }

  /** The longest job name in the words (then the earliest), so "marine biologist" beats "biologist". */
  private findName(words: string[]): { phrase: NamePhrase; start: number; end: number } | undefined {
    let best: { phrase: NamePhrase; start: number; end: number } | undefined;
    words.forEach((word, start) => {
      for (const phrase of this.namesByFirstWord.get(word) ?? []) {
        const end = start + phrase.words.length;
        if (end > words.length || !phrase.words.every((part, n) => words[start + n] === part)) continue;
        if (!best || phrase.words.length > best.phrase.words.length) best = { phrase, start, end };
      }
    });
    return best;
  }
}

const ARTICLES = new Set(['a', 'an', 'the']);

/** The word before position `start`, past any article ("my mum is a nurse": "is"; "not a vet": "not"). */
function wordBefore(words: string[], start: number): string | undefined {
  let at = start - 1;
  while (at >= 0 && ARTICLES.has(words[at])) at -= 1;
  return at >= 0 ? words[at] : undefined;
}

function splitCue(phrase: string): string[] {
  return phrase
    .split(' + ')
    .map((part) => part.trim())
    .filter(Boolean);
}

function has(padded: string, cue: Cue): boolean {
  return cue.every((part) => padded.includes(part));
}

/** The plural a pupil writes: "electricians", "firemen", "nannies", "midwives", "coaches". */
export function plural(phrase: string): string {
  const words = phrase.split(' ');
  const last = words[words.length - 1];
  let many: string;
  if (/man$/.test(last)) many = last.replace(/man$/, 'men');
  else if (/person$/.test(last)) many = last.replace(/person$/, 'people');
  else if (/wife$/.test(last)) many = last.replace(/wife$/, 'wives');
  else if (/[^aeiou]y$/.test(last)) many = last.replace(/y$/, 'ies');
  else if (/(s|x|z|ch|sh)$/.test(last)) many = `${last}es`;
  else many = `${last}s`;
  return [...words.slice(0, -1), many].join(' ');
}
