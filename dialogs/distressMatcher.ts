import type { Distress } from '../knowledge/schema';
import type { TextFolder } from './textFolder';

/** How many words before a distress phrase a negation cancels it ("not really sad"). */
const NEGATION_WINDOW = 2;

/**
 * Whether a message carries words of distress from the content's list ("so lonely", "cant
 * cope"), so a message the bot cannot place gets a gentle check-in rather than "try different
 * words". Deterministic like the router: the same folded text, whole-word phrases, and a phrase
 * just after a negation ("im not sad, just confused") does not count.
 */
export class DistressMatcher {
  private readonly phrases: string[];
  private readonly negations: Set<string>;

  constructor(
    distress: Distress,
    private readonly folder: TextFolder,
  ) {
    const fold = (phrase: string) => ` ${folder.fold(phrase)} `;
    this.phrases = [...new Set(distress.phrases.map(fold))].filter((phrase) => phrase.trim().length > 0);
    this.negations = new Set(distress.negations.map((negation) => folder.fold(negation)));
  }

  carries(text: string): boolean {
    const padded = ` ${this.folder.fold(text)} `;
    return this.phrases.some((phrase) => {
      for (let at = padded.indexOf(phrase); at >= 0; at = padded.indexOf(phrase, at + 1)) {
        if (!this.negatedAt(padded, at)) return true;
      }
      return false;
    });
  }

  private negatedAt(padded: string, at: number): boolean {
    const before = padded.slice(0, at).trim().split(' ').slice(-NEGATION_WINDOW);
    // A negation of two words ("no longer") is checked as the two words before the phrase.
    return before.some((word) => this.negations.has(word)) || this.negations.has(before.join(' '));
  }
}
