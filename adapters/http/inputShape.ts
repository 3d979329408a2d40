/** Keys that reach Object.prototype through a careless merge anywhere downstream. */
const PROTOTYPE_KEYS = new Set(['__proto__', 'constructor', 'prototype']);

/**
 * The first problem of shape anywhere in a parsed JSON body: nested deeper than `maxDepth`
 * objects or arrays, or a key named `__proto__`, `constructor` or `prototype`. Iterative, so
 * no depth of nesting can blow the stack.
 */
export function shapeProblem(body: unknown, maxDepth: number): string | undefined {
  const pending: { value: unknown; depth: number }[] = [{ value: body, depth: 0 }];
  for (let next = pending.pop(); next; next = pending.pop()) {
    const { value, depth } = next;
    if (typeof value !== 'object' || value === null) continue;
    if (depth >= maxDepth) return `nested more than ${maxDepth} levels deep`;
    for (const key of Object.keys(value)) {
      if (PROTOTYPE_KEYS.has(key)) return `a key named ${key} is not accepted`;
    }
    for (const child of Object.values(value)) pending.push({ value: child, depth: depth + 1 });
  }
  return undefined;
}

// C0 controls but tab, line feed and carriage return; DEL; C1 controls: matching them is the point.
// eslint-disable-next-line no-control-regex
const CONTROL_CHARACTERS = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F]/g;
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/**
 * Text as it is kept: control characters (which no keyboard sends, and which garble logs and
 * terminals) removed, and a lone surrogate (not a character; Redis would store it mangled)
 * replaced by U+FFFD. Right-to-left marks, zero-width joiners, emoji and combining marks are
 * real writing and are kept.
 */
export function cleanText(text: string): string {
  return text.replace(CONTROL_CHARACTERS, '').replace(LONE_SURROGATE, '\uFFFD');
}
