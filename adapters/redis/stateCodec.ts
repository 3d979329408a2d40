import { constants, deflateRawSync, inflateRawSync } from 'node:zlib';

/**
 * How a state item's JSON is kept in Redis. Most of a conversation's state is the same skeleton
 * every time (the conversation data's fields, botbuilder's dialog stack), so its phrases are kept
 * as one character each. Until the ninth session the JSON was deflated against a preset
 * dictionary instead: deflate made a quarter of the JSON's size, but it cost about 11 µs a save
 * (most of it making a zlib stream for 300 bytes) and 5 µs a read, a tenth of what the bot spent
 * over the echo floor a turn; the phrases make about a fifth (a state waiting in a topic: 379 bytes of
 * JSON to 72, deflated 103) in about 2.5 µs and 1 µs.
 *
 * A stored value is plain JSON (it starts with '{'), or one version byte and then: the JSON with
 * its commonest phrases as single characters (version 2, written since the ninth session), or the
 * deflated JSON (version 1, before it). A dictionary or phrase list, once used, can never change:
 * a new one needs a new version byte, and the old one must stay here for values written with it.
 */

const V1 = 0x01;

/**
 * Version 1's dictionary: the strings a conversation's state repeats, the commonest last (deflate
 * reaches the end of its dictionary with the shortest distances).
 */
const DICTIONARY_V1 = Buffer.from(
  [
    '{"type":"message","text":"","textFormat":"plain","inputHint":"acceptingInput","suggestedActions":{"to":[],"actions":[{"type":"imBack","title":"","value":""}]}}',
    '"prompt":{"type":"message","text":"How old are you? ',
    '"retryPrompt":',
    '"higherEducationDialog"',
    '"gcseOptionsDialog"',
    '"gettingAJobDialog"',
    '"apprenticeshipsDialog"',
    '"post16Dialog"',
    '"handoffRequested":true,',
    '"profile":{"age":',
    '"answerId":"","history":[],"rephrase":true},',
    '{"id":"reply","state":{"options":{},"state":{}}}',
    '{"id":"age","state":{"options":{',
    '{"id":"flow","state":{"options":{"answerId":"',
    '"values":{"instanceId":"',
    '"},"stepIndex":0}},',
    '"},"stepIndex":1}},',
    '{"id":"route","state":{"options":{},"values":{"instanceId":"',
    ']}},"version":"',
    '"state":{"dialogs":{"dialogStack":[',
    '{"conversationData":{"notUnderstoodInARow":0,"profile":{},"flags":[],"school":"default","lastTopic":"","topicsCounted":[]},"dialogState":{"dialogStack":[{"id":"mainDialog","state":{"dialogs":{"dialogStack":[',
  ].join(''),
  'utf8',
);

/** Below this many bytes of JSON a version 1 item was kept as it is: deflating would save next to nothing. */
const PLAIN_UP_TO = 160;

const V2 = 0x02;

/**
 * Version 2's phrases: what a conversation's state repeats since the dialogs were flattened (the
 * seventh session) and flows keep which answer they showed (the sixth). Each stands in the stored
 * text for one character, U+0003 and on in this order. JSON.stringify writes every character below
 * U+0020 escaped, so those characters never occur in a state's own text; a text that has one
 * anyway (JSON written by hand, say) is deflated as version 1. There are 29 such characters: the
 * list is full. Like the dictionary, it can never change once used.
 */
const PHRASES_V2: readonly string[] = [
  '{"conversationData":{"notUnderstoodInARow":',
  ',"profile":{',
  '"age":',
  '},"flags":[',
  '],"school":"default","lastTopic":"',
  '],"school":"',
  '","lastTopic":"',
  '","topicsCounted":[',
  '"asked-for-adviser"',
  ',"handoffRequested":true',
  ',"pendingOffer":[',
  ']},"dialogState":{"dialogStack":[',
  '{"id":"route","state":{}},{"id":',
  'Dialog","state":{"options":{"answerId":',
  '","history":[',
  '],"rephrase":true},"stepIndex":',
  '},"stepIndex":',
  ',"asked":"answer"}}]}}',
  ',"asked":"age"}}]}}',
  '}}]}}',
  '"higher-education',
  '"higherEducation',
  '"apprenticeships',
  '"post16',
  '"gcseOptions',
  '"gcse',
  '"gettingAJob',
  '"jobs',
  '.overview"',
];

const FIRST_TOKEN = 0x03;

/** Any phrase, the longest first where one begins another; compiled once. */
const PHRASE_PATTERN = new RegExp(
  [...PHRASES_V2]
    .sort((a, b) => b.length - a.length)
    .map((phrase) => phrase.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))
    .join('|'),
  'g',
);
const TOKEN_OF = new Map(PHRASES_V2.map((phrase, index) => [phrase, String.fromCharCode(FIRST_TOKEN + index)]));
const tokenOf = (phrase: string): string => TOKEN_OF.get(phrase) ?? phrase;
const TOKEN_PATTERN = /[\u0003-\u001f]/g;
const phraseOf = (token: string): string => PHRASES_V2[token.charCodeAt(0) - FIRST_TOKEN];
const CONTROL_CHARACTER = /[\u0000-\u001f]/;

const OPEN_BRACE = 0x7b;

/**
 * The stored form of an item's JSON: its phrases as tokens (version 2), about a seventh of its
 * size and a tenth of deflate's cost; plain JSON when it has none of them.
 */
export function encodeState(json: string): string | Buffer {
  if (CONTROL_CHARACTER.test(json)) return deflateV1(json);
  const tokenised = json.replace(PHRASE_PATTERN, tokenOf);
  // Every phrase is longer than its token: the same length means nothing was replaced.
  if (tokenised.length === json.length && json.charCodeAt(0) === OPEN_BRACE) return json;
  return `${String.fromCharCode(V2)}${tokenised}`;
}

/** Version 1: deflated against the dictionary; written now only for a text version 2 cannot hold. */
function deflateV1(json: string): string | Buffer {
  if (json.length <= PLAIN_UP_TO && json.charCodeAt(0) === OPEN_BRACE) return json;
  const deflated = deflateRawSync(json, { dictionary: DICTIONARY_V1, level: constants.Z_BEST_SPEED });
  return Buffer.concat([Buffer.of(V1), deflated]);
}

/** The JSON a stored value holds, whichever form it was kept in. */
export function decodeState(stored: Buffer): string {
  if (stored.length === 0 || stored[0] === OPEN_BRACE) return stored.toString('utf8');
  if (stored[0] === V2) return stored.toString('utf8', 1).replace(TOKEN_PATTERN, phraseOf);
  if (stored[0] === V1) return inflateRawSync(stored.subarray(1), { dictionary: DICTIONARY_V1 }).toString('utf8');
  throw new Error(`state value in an unknown form (first byte ${stored[0]})`);
}
