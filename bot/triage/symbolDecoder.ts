import { normalise } from '../../dialogs/normalise';
import type { Lexicon } from '../../knowledge/triageSchema';

/** Variation selectors, joiners and skin tones change how an emoji looks, not what it means. */
const EMOJI_DRESSING = /[\uFE0E\uFE0F\u200D]|\p{Emoji_Modifier}/gu;
/** More readings than this of one word and it is not a word written in digits. */
const MAX_READINGS = 64;

const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * Reads emoji and digits-for-letters as words before the triage patterns see a message:
 * "🔪🩸" becomes "knife blood" and "su1c1dal" becomes "suicidal". A digit is read as a letter only
 * inside a word that mixes digits and letters and is not a number with a unit, so "year 10",
 * "4 days", "y11" and "5pm" keep their numbers. Built once at start from the lexicon.
 */
export class SymbolDecoder {
  private readonly emoji: RegExp | undefined;
  private readonly emojiWords = new Map<string, string>();
  /** a sign used for a letter: between letters or digits ("k!ll"), or starting a word ("$elf") */
  private readonly signs: RegExp | undefined;
  private readonly letters = new Map<string, string>();
  private readonly numberWithUnit: RegExp;
  private readonly cache = new Map<string, string>();

  /**
   * `known`: the words the patterns use, so an ambiguous digit ("1" for i or l) is read as the
   * letter that makes one of them. `keep`: words left as written (the spelling list has them).
   */
  constructor(
    rules: Pick<Lexicon, 'emoji' | 'leet' | 'numberAffixes'>,
    private readonly known: ReadonlySet<string>,
    private readonly keep: ReadonlySet<string>,
  ) {
    for (const [emoji, words] of Object.entries(rules.emoji)) this.emojiWords.set(emoji.replace(EMOJI_DRESSING, ''), words);
    // Longest first, so a two-part emoji wins over its first part.
    const emojiKeys = [...this.emojiWords.keys()].sort((a, b) => b.length - a.length).map(escape);
    this.emoji = emojiKeys.length > 0 ? new RegExp(emojiKeys.join('|'), 'gu') : undefined;
    for (const [symbol, letters] of Object.entries(rules.leet)) this.letters.set(symbol, letters);
    const signs = [...this.letters.keys()]
      .filter((symbol) => !/\p{N}/u.test(symbol))
      .map(escape)
      .join('');
    this.signs = signs ? new RegExp(`(?<=[\\p{L}\\p{N}])[${signs}](?=[\\p{L}\\p{N}])|(?<![^\\s])[${signs}](?=\\p{L})`, 'gu') : undefined;
    const before = rules.numberAffixes.before.map(escape).join('|');
    const after = rules.numberAffixes.after.map(escape).join('|');
    this.numberWithUnit = new RegExp(`^(?:(?:${before || '(?!)'})\\d+|\\d+(?:${after || '(?!)'}))$`);
  }

  /** The message normalised, with its emoji and digit-spelt words read as words. */
  decode(text: string): string {
    let decoded = text;
    if (this.emoji) decoded = decoded.replace(EMOJI_DRESSING, '').replace(this.emoji, (found) => ` ${this.emojiWords.get(found) ?? ''} `);
    if (this.signs) decoded = decoded.replace(this.signs, (sign) => this.letters.get(sign)?.[0] ?? sign);
    return normalise(decoded)
      .split(' ')
      .map((word) => this.decodeWord(word))
      .join(' ');
  }

  private decodeWord(word: string): string {
    if (!/\d/.test(word) || !/\p{L}/u.test(word)) return word;
    const cached = this.cache.get(word);
    if (cached !== undefined) return cached;
    const decoded = this.keep.has(word) || this.numberWithUnit.test(word) ? word : this.read(word);
    if (this.cache.size < 10_000) this.cache.set(word, decoded);
    return decoded;
  }

  /** The reading of a digit-spelt word that is a known word, else each digit's first letter. */
  private read(word: string): string {
    let readings = [''];
    for (const char of word) {
      const letters = this.letters.get(char) ?? char;
      readings = readings.flatMap((start) => [...letters].map((letter) => start + letter)).slice(0, MAX_READINGS);
    }
    return readings.find((reading) => this.known.has(reading)) ?? readings[0];
  }
}
