import fc from 'fast-check';

/**
 * Hostile and odd input for the HTTP edges, shared by the fuzz suites. Each generator names the
 * kind of input it makes; `body` in a request is the exact text sent.
 */

/** Writing that is real but tricky: bidi controls, zero-width, emoji sequences, combining marks. */
export const trickyPieces = [
  '\u202E', // right-to-left override
  '\u202B', // right-to-left embedding
  '\u200F', // right-to-left mark
  '\u2066', // left-to-right isolate
  '\u200B', // zero-width space
  '\u200C', // zero-width non-joiner
  '\u200D', // zero-width joiner
  '\uFEFF', // byte order mark / zero-width no-break space
  '\u2028', // line separator
  '👩🏽‍🎓', // emoji with skin tone and ZWJ
  '🏳️‍🌈',
  '🇬🇧',
  'e\u0301', // combining acute
  'Z\u0351\u0308\u0334\u0353', // stacked combining marks
  'مرحبا', // Arabic
  'שלום', // Hebrew
  '中文',
  'ﷺ',
  '\uD800', // lone high surrogate
  '\uDFFF', // lone low surrogate
];

/** C0 and C1 control characters, DEL, and an ANSI escape sequence. */
export const controlPieces = ['\u0000', '\u0001', '\u0007', '\u0008', '\u000B', '\u000C', '\u001B', '\u001B[31m', '\u001F', '\u007F', '\u0080', '\u0085', '\u009B', '\u009F', '\t', '\r\n'];

const words = ['apprenticeships', 'menu', 'help', 'university', 'GCSE options', 'yes', 'no', 'back', 'tell me more', 'hello', 'what is a t level', 'I am 15'];

/** Text a pupil (or a fuzzer) might type: words, any unicode, tricky writing and control characters mixed. */
export const pupilText: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom(...words),
  fc.string({ unit: 'grapheme', maxLength: 40 }),
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc.array(fc.oneof(fc.constantFrom(...trickyPieces, ...controlPieces), fc.constantFrom(...words), fc.string({ maxLength: 5 })), { minLength: 1, maxLength: 12 }).map((parts) => parts.join('')),
);

/** Values of the wrong type for any field. */
export const wrongType: fc.Arbitrary<unknown> = fc.oneof(
  fc.constant(null),
  fc.boolean(),
  fc.integer(),
  fc.double({ noNaN: true, noDefaultInfinity: true }),
  fc.constant(''),
  fc.string({ maxLength: 10 }),
  fc.array(fc.jsonValue({ maxDepth: 2 }), { maxLength: 3 }),
  fc.dictionary(fc.string({ maxLength: 6 }), fc.jsonValue({ maxDepth: 2 }), { maxKeys: 3 }),
);

/** A field that is usually right, sometimes absent, sometimes of the wrong type. */
export const field = <T>(right: fc.Arbitrary<T>): fc.Arbitrary<unknown> =>
  fc.oneof({ weight: 3, arbitrary: right }, { weight: 1, arbitrary: fc.constant(undefined) }, { weight: 2, arbitrary: wrongType });

/** JSON text nested `depth` levels deep, as arrays or objects. */
export const deeplyNested = (depth: number, kind: 'array' | 'object'): string => (kind === 'array' ? `${'['.repeat(depth)}1${']'.repeat(depth)}` : `${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}`);

/** A JSON object text with a prototype-polluting key somewhere, as a hostile client writes it (JSON.stringify would not). */
export const prototypeKeyInjection = (base: Record<string, unknown>): fc.Arbitrary<string> =>
  fc.tuple(fc.constantFrom('__proto__', 'constructor', 'prototype'), fc.constantFrom('top', 'value', 'from', 'channelData', 'nested')).map(([key, where]) => {
    const payload = key === 'constructor' ? `{"prototype":{"polluted":"yes"}}` : `{"polluted":"yes"}`;
    const rest = JSON.stringify(base).slice(1, -1);
    if (where === 'top') return `{${rest},"${key}":${payload}}`;
    if (where === 'nested') return `{${rest},"value":{"a":[{"${key}":${payload}}]}}`;
    return `{${rest},"${where}":{"${key}":${payload}}}`;
  });

/** Text that is not JSON, or JSON broken in the ways clients and attackers break it. */
export const malformedJson = (valid: string): fc.Arbitrary<string> =>
  fc.oneof(
    fc.string({ maxLength: 60 }),
    fc.string({ unit: 'binary', maxLength: 60 }),
    fc.nat({ max: Math.max(0, valid.length - 1) }).map((cut) => valid.slice(0, cut)),
    fc.constantFrom(
      '',
      ' ',
      'null',
      'true',
      '1',
      '"a string"',
      '[]',
      '{',
      '}',
      '{"type":}',
      "{'type':'message'}",
      '{"type":"message",}',
      '{"type":"message"}garbage',
      'NaN',
      '{"text":"\\ud800"}',
      '{"text":"\\u0000"}',
      '\uFEFF{"type":"message","text":"hi"}',
      '{"a":1e999999}',
      '[' + '1,'.repeat(5000) + '1]',
    ),
  );

/** Content types: mostly JSON, sometimes not, sometimes with an unsupported charset. */
export const contentType: fc.Arbitrary<string | undefined> = fc.oneof(
  { weight: 6, arbitrary: fc.constant('application/json') },
  { weight: 1, arbitrary: fc.constantFrom('application/json; charset=utf-8', 'application/vnd.api+json') },
  {
    weight: 2,
    arbitrary: fc.constantFrom(
      undefined,
      'text/plain',
      'application/x-www-form-urlencoded',
      'multipart/form-data; boundary=x',
      'application/xml',
      'application/json; charset=latin1',
      'application/json; charset=utf-16',
      'json',
      '*/*',
    ),
  },
);

/** No Object.prototype pollution: its own keys are what they were, and no stray property reads through. */
export function prototypeSnapshot(): string {
  return Object.getOwnPropertyNames(Object.prototype).sort().join(',');
}

export function isPolluted(snapshot: string): boolean {
  const probe: Record<string, unknown> = {};
  return prototypeSnapshot() !== snapshot || probe.polluted !== undefined || Object.prototype.hasOwnProperty.call(Object.prototype, 'polluted');
}

/** A response body that gives away internals: a stack frame, a file path of ours or a dependency's, an error class. */
export function leaksInternals(body: string): boolean {
  return /\n\s+at |\bat [\w.<>]+ \(|node_modules|\/work\/|\.ts:\d+|\.js:\d+|TypeError|ReferenceError|ZodError|SyntaxError: Unexpected/.test(body);
}

/** The fixed seed a run uses, FUZZ_SEED to replay another; fast-check prints the seed and path of any failure. */
export const fuzzSeed = Number(process.env.FUZZ_SEED ?? 20260501);
