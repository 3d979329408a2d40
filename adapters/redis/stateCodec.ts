import { constants, deflateRawSync, inflateRawSync } from 'node:zlib';

/**
 * How a state item's JSON is kept in Redis. Most of a conversation's state is botbuilder's nested
 * dialog stacks, the same skeleton every time, so a larger item is deflated against a preset
 * dictionary of that skeleton (about a quarter of its JSON size); a small one stays plain JSON.
 *
 * A stored value is either plain JSON (it starts with '{') or one version byte and the deflated
 * JSON. A dictionary, once used, can never change: a new one needs a new version byte, and the
 * old one must stay here for values written with it.
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

/** Below this many bytes of JSON an item is kept as it is: deflating would save next to nothing. */
const PLAIN_UP_TO = 160;

const OPEN_BRACE = 0x7b;

/** The stored form of an item's JSON. */
export function encodeState(json: string): string | Buffer {
  if (json.length <= PLAIN_UP_TO) return json;
  const deflated = deflateRawSync(json, { dictionary: DICTIONARY_V1, level: constants.Z_BEST_SPEED });
  return Buffer.concat([Buffer.of(V1), deflated]);
}

/** The JSON a stored value holds, whichever form it was kept in. */
export function decodeState(stored: Buffer): string {
  if (stored.length === 0 || stored[0] === OPEN_BRACE) return stored.toString('utf8');
  if (stored[0] === V1) return inflateRawSync(stored.subarray(1), { dictionary: DICTIONARY_V1 }).toString('utf8');
  throw new Error(`state value in an unknown form (first byte ${stored[0]})`);
}
