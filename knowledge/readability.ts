/**
 * A small, deterministic readability check for content written for pupils from Year 7: short
 * sentences and few long words. It counts; it does not judge meaning, so it is a floor, not a
 * proof of plain English.
 */

export interface ReadabilityLimits {
  /** most words in one sentence */
  maxSentenceWords: number;
  /** most words in the whole text */
  maxWords: number;
  /** most sentences in the whole text */
  maxSentences: number;
  /** most words of four or more syllables per sentence that are not in `allowed` */
  maxLongWordsPerSentence: number;
}

export function words(text: string): string[] {
  return text.split(/\s+/).filter((word) => /[\p{L}\p{N}]/u.test(word));
}

export function sentences(text: string): string[] {
  return text.split(/(?<=[.!?])\s+|\n+/).filter((sentence) => words(sentence).length > 0);
}

/** Syllables by vowel groups, less a silent final e: good enough to spot long words. */
export function syllables(word: string): number {
  const bare = word.toLowerCase().replace(/[^a-z]/g, '');
  if (bare.length <= 3) return 1;
  const groups = bare
    .replace(/(?:[^laeiouy]es|ed|[^laeiouy]e)$/, '')
    .replace(/^y/, '')
    .match(/[aeiouy]{1,2}/g);
  return Math.max(1, groups?.length ?? 1);
}

/** What is wrong with a text for young readers, as short messages; empty when it reads easily. */
export function readabilityProblems(text: string, limits: ReadabilityLimits, allowed: ReadonlySet<string> = new Set()): string[] {
  const problems: string[] = [];
  const all = sentences(text);
  if (words(text).length > limits.maxWords) problems.push(`${words(text).length} words (limit ${limits.maxWords})`);
  if (all.length > limits.maxSentences) problems.push(`${all.length} sentences (limit ${limits.maxSentences})`);
  for (const sentence of all) {
    const count = words(sentence).length;
    if (count > limits.maxSentenceWords) problems.push(`a sentence of ${count} words (limit ${limits.maxSentenceWords}): "${sentence}"`);
    const long = words(sentence)
      .map((word) => word.toLowerCase().replace(/[^a-z'-]/g, ''))
      .filter((word) => word && !allowed.has(word) && syllables(word) >= 4);
    if (long.length > limits.maxLongWordsPerSentence) problems.push(`long words ${long.join(', ')} in "${sentence}"`);
  }
  return problems;
}
