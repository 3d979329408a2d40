/**
 * Compiles a triage pattern (see knowledge/triageSchema.ts) to a RegExp over text that has been
 * normalised and padded with a space at each end. Every unit matches with its trailing space, so
 * units join without caring which are optional.
 */
export function compilePattern(pattern: string, sets: Record<string, string[]>, flags = ''): RegExp {
  const tokens = tokenize(pattern);
  const atStart = tokens[0] === '^';
  const atEnd = tokens[tokens.length - 1] === '$';
  const units = tokens.slice(atStart ? 1 : 0, atEnd ? -1 : undefined).map((token) => unitRegex(token, sets, pattern));
  return new RegExp(`${atStart ? '(?<=^ )' : '(?<= )'}${units.join('')}${atEnd ? '$' : ''}`, flags);
}

/**
 * The words a match of `pattern` can begin with, or undefined when it can begin with any word
 * (a leading wildcard, or nothing but optional parts). Lets the detector try only the patterns
 * whose first word is in the message.
 */
export function firstWords(pattern: string, sets: Record<string, string[]>): Set<string> | undefined {
  const found = new Set<string>();
  for (const token of tokenize(pattern)) {
    if (token === '^') continue;
    if (token === '*' || token === '**' || token === '...' || token === '$') return undefined;
    if (token.startsWith('{')) {
      for (const entry of sets[token.slice(1, -1)] ?? []) found.add(words(entry)[0]);
      return found;
    }
    if (token.startsWith('(') || token.startsWith('[')) {
      for (const alternative of token.slice(1, -1).split('|')) {
        const first = words(alternative)[0];
        if (first === '$') return undefined;
        if (first?.startsWith('{')) for (const entry of sets[first.slice(1, -1)] ?? []) found.add(words(entry)[0]);
        else if (first) found.add(first);
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

function setEntries(token: string, sets: Record<string, string[]>, pattern: string): string[] {
  const set = sets[token.slice(1, -1)];
  if (!set) throw new Error(`compilePattern(): "${pattern}": no word set ${token}`);
  return set.map((entry) => words(entry).map(escape).join(' '));
}

/**
 * The alternatives of a `(a|b c|{set}|$)` group, each with its trailing space: words, word sets,
 * or `$` for the end of the message. An empty alternative is a mistake (an optional part is `[..]`).
 */
function alternatives(token: string, sets: Record<string, string[]>, pattern: string): string[] {
  return token
    .slice(1, -1)
    .split('|')
    .map((alternative) => {
      const parts = words(alternative);
      if (parts.length === 0) throw new Error(`compilePattern(): "${pattern}": ${token} has an empty alternative (write an optional part as [a|b])`);
      if (/[()[\]{}]/.test(alternative.replace(/\{[a-z]+\}/g, ''))) throw new Error(`compilePattern(): "${pattern}": ${token} nests brackets, which patterns do not support`);
      if (alternative.trim() === '$') return '$';
      return `${parts.map((part) => (part.startsWith('{') ? `(?:${setEntries(part, sets, pattern).join('|')})` : escape(part))).join(' ')} `;
    });
}

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
  // As few words as will do, so a long message costs little.
  if (token === '...') return '(?:\\S+ )*?';
  if (token === '^' || token === '$') throw new Error(`compilePattern(): "${pattern}": ${token} belongs only at the start (^) or end ($)`);
  if (token === '*') return '\\S+ ';
  if (token.startsWith('{')) return `(?:${setEntries(token, sets, pattern).join('|')}) `;
  if (token.startsWith('(')) return `(?:${alternatives(token, sets, pattern).join('|')})`;
  if (token.startsWith('[')) return `(?:${alternatives(token, sets, pattern).join('|')})?`;
  return `${escape(token)} `;
}

/** The literal words of a pattern (not its sets or wildcards): what the patterns know. */
export function patternWords(pattern: string): string[] {
  return tokenize(pattern)
    .flatMap((token) => token.replace(/^[([]|[)\]]$/g, '').split(/[|\s]+/))
    .filter((word) => /^[\p{L}\p{N}]+$/u.test(word));
}
