/**
 * Compiles a triage pattern (see knowledge/triageSchema.ts) to a RegExp over text that has been
 * normalised and padded with a space at each end. Every unit matches with its trailing space, so
 * units join without caring which are optional.
 */
export function compilePattern(pattern: string, sets: Record<string, string[]>, flags = ''): RegExp {
  const units = tokenize(pattern).map((token) => unitRegex(token, sets, pattern));
  return new RegExp(`(?<= )${units.join('')}`, flags);
}

/**
 * The words a match of `pattern` can begin with, or undefined when it can begin with any word
 * (a leading wildcard, or nothing but optional parts). Lets the detector try only the patterns
 * whose first word is in the message.
 */
export function firstWords(pattern: string, sets: Record<string, string[]>): Set<string> | undefined {
  const found = new Set<string>();
  for (const token of tokenize(pattern)) {
    if (token === '*' || token === '**') return undefined;
    if (token.startsWith('{')) {
      for (const entry of sets[token.slice(1, -1)] ?? []) found.add(words(entry)[0]);
      return found;
    }
    if (token.startsWith('(') || token.startsWith('[')) {
      for (const alternative of token.slice(1, -1).split('|')) {
        const first = words(alternative)[0];
        if (first) found.add(first);
      }
      if (token.startsWith('(')) return found;
      continue;
    }
    found.add(token);
    return found;
  }
  return undefined;
}

const escape = (word: string) => word.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const words = (phrase: string) => phrase.trim().split(/\s+/).filter(Boolean);
const alternatives = (body: string) => body.split('|').map((alternative) => words(alternative).map(escape).join(' ')).filter(Boolean);

function tokenize(pattern: string): string[] {
  const tokens: string[] = [];
  let index = 0;
  while (index < pattern.length) {
    const char = pattern[index];
    if (char === ' ') {
      index += 1;
      continue;
    }
    const close = char === '(' ? ')' : char === '[' ? ']' : char === '{' ? '}' : undefined;
    if (close) {
      const end = pattern.indexOf(close, index);
      if (end < 0) throw new Error(`compilePattern(): "${pattern}": ${char} is not closed`);
      tokens.push(pattern.slice(index, end + 1));
      index = end + 1;
      continue;
    }
    const end = pattern.indexOf(' ', index);
    tokens.push(pattern.slice(index, end < 0 ? undefined : end));
    index = end < 0 ? pattern.length : end;
  }
  return tokens;
}

function unitRegex(token: string, sets: Record<string, string[]>, pattern: string): string {
  if (token === '**') return '(?:\\S+ ){0,3}';
  if (token === '*') return '\\S+ ';
  if (token.startsWith('{')) {
    const set = sets[token.slice(1, -1)];
    if (!set) throw new Error(`compilePattern(): "${pattern}": no word set ${token}`);
    return `(?:${set.map((entry) => words(entry).map(escape).join(' ')).join('|')}) `;
  }
  if (token.startsWith('(')) return `(?:${alternatives(token.slice(1, -1)).join('|')}) `;
  if (token.startsWith('[')) return `(?:(?:${alternatives(token.slice(1, -1)).join('|')}) )?`;
  return `${escape(token)} `;
}
