/**
 * Folds free text to a canonical form for rule matching: lower case, no accents or emoji,
 * punctuation to spaces, single spaces. "What's an APPRENTICESHIP??" -> "whats an apprenticeship".
 */
export function normalise(text: string): string {
  return text
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/[\u2018\u2019']/g, '')
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim();
}
