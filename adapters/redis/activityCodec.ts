import { isDeepStrictEqual } from 'node:util';
import { BOT_ACCOUNT } from '../directline/directLineAdapter';
import { pupilIdFor } from '../directline/pupilId';
import { compactTime, isoTime } from './compactTime';
import { namesNone, SharedBodies } from './sharedBodies';

type Activity = Record<string, unknown>;

/** Fields that differ from one activity to the next, or name the pupil: never shared. */
const OWN_FIELDS = new Set(['id', 'timestamp', 'localTimestamp', 'recipient', 'conversation', 'replyToId', 'channelData']);

/** Marker keys of a stored entry; an activity's own field names never start with '~'. */
const BODY = '~b';
const ID_SUFFIX = '~i';
const SAME_CONVERSATION = '~c';
const TO_BOT = '~r';
const DIRECT_LINE = '~d';
const PUPIL = '~u';
const TIME = '~t';
const MARKERS = new Set([BODY, ID_SUFFIX, SAME_CONVERSATION, TO_BOT, DIRECT_LINE, PUPIL, TIME]);

/** The bot's own account on the web chat channel: its replies are content, the same for everyone. */
const BOT_RECIPIENT: Record<string, string> = { ...BOT_ACCOUNT };

function standardConversation(conversationId: string): Activity {
  return { id: conversationId, isGroup: false, conversationType: 'personal', name: '' };
}

function isBotReply(activity: Activity): boolean {
  const from = activity.from as { id?: unknown; role?: unknown } | undefined;
  return from?.id === BOT_ACCOUNT.id && from.role === BOT_ACCOUNT.role;
}

export interface EncodedActivity {
  entry: string;
  body?: { ref: string; json: string };
}

/**
 * How a web chat activity is kept in its conversation's Redis list, losslessly: the bot's own
 * reply body goes to the shared bodies (by reference), the conversation object and the
 * conversation-prefixed id are written once as markers, and everything else is kept as it is.
 */
export function encodeActivity(conversationId: string, activity: Activity): EncodedActivity {
  const entry: Activity = {};
  let body: EncodedActivity['body'];
  // The fields a marker stands for are left out of `rest`. It is built field by field rather than
  // as a copy with fields deleted: on Node 20 a delete or a spread with fields added after it costs
  // microseconds a field, and this runs for every activity of every turn.
  const taken = new Set<string>();
  const { id, conversation, timestamp } = activity;
  if (typeof id === 'string' && id.startsWith(`${conversationId}|`)) {
    entry[ID_SUFFIX] = id.slice(conversationId.length + 1);
    taken.add('id');
  }
  if (conversation !== undefined && isDeepStrictEqual(conversation, standardConversation(conversationId))) {
    entry[SAME_CONVERSATION] = 1;
    taken.add('conversation');
  }
  if (activity.recipient !== undefined && isDeepStrictEqual(activity.recipient, BOT_RECIPIENT)) {
    entry[TO_BOT] = 1;
    taken.add('recipient');
  }
  const recipient = activity.recipient as { id?: unknown } | undefined;
  if (typeof recipient?.id === 'string' && isDeepStrictEqual(recipient, { id: recipient.id, name: '', role: 'user' })) {
    entry[PUPIL] = recipient.id;
    taken.add('recipient');
  }
  const time = typeof timestamp === 'string' ? compactTime(timestamp) : undefined;
  if (time) {
    entry[TIME] = time;
    taken.add('timestamp');
  }
  if (activity.channelId === 'directline' && activity.serviceUrl === 'urn:directline') {
    entry[DIRECT_LINE] = 1;
    taken.add('channelId').add('serviceUrl');
  }
  const rest: Activity = {};
  if (isBotReply(activity)) {
    const shared: Activity = {};
    for (const field of Object.keys(activity)) {
      if (taken.has(field)) continue;
      setOwn(OWN_FIELDS.has(field) ? rest : shared, field, activity[field]);
    }
    const json = JSON.stringify(shared);
    if (namesNone(json, [conversationId, typeof recipient?.id === 'string' ? recipient.id : undefined])) {
      body = { ref: SharedBodies.reference(json), json };
      entry[BODY] = body.ref;
    } else {
      Object.assign(rest, shared);
    }
  } else {
    for (const field of Object.keys(activity)) if (!taken.has(field)) setOwn(rest, field, activity[field]);
  }
  return { entry: compactLine(conversationId, entry, rest) ?? JSON.stringify({ ...entry, ...rest }), body };
}

/**
 * The two commonest entries (a bot reply by reference, a pupil's message) are kept as one line
 * of tab-separated fields rather than JSON, less than half the size:
 *
 *   b <id suffix> <time> <body ref> <pupil id> <id suffix replied to, or nothing>
 *   t <id suffix> <time> <pupil id> <text>                  (a message that is only text)
 *   u <id suffix> <time> <pupil id> <JSON of its other fields>
 *
 * The pupil id is left empty when it is the one made from the conversation id (pupilIdFor).
 * Every other entry is JSON (it starts with '{'). A field written bare must be a plain token, so
 * a tab can never be mistaken for a separator; the text or JSON, which may hold anything, is last.
 */
const TOKEN = /^[A-Za-z0-9_-]+$/;
const SEPARATOR = '\t';

/** `target[field] = value` as an own field, even one named `__proto__` (as a spread would copy it). */
function setOwn(target: Activity, field: string, value: unknown): void {
  if (field === '__proto__') Object.defineProperty(target, field, { value, enumerable: true, writable: true, configurable: true });
  else target[field] = value;
}

/** The names of `fields` other than `except`. */
function otherFields(fields: Activity, except: readonly string[]): string[] {
  return Object.keys(fields).filter((field) => !except.includes(field));
}

function compactLine(conversationId: string, entry: Activity, rest: Activity): string | undefined {
  const suffix = entry[ID_SUFFIX];
  const time = entry[TIME];
  if (typeof suffix !== 'string' || !TOKEN.test(suffix) || typeof time !== 'string' || entry[SAME_CONVERSATION] !== 1) return undefined;
  const markers = Object.keys(entry).length;
  const ref = entry[BODY];
  const pupil = entry[PUPIL];
  if (typeof ref === 'string' && typeof pupil === 'string' && TOKEN.test(ref) && TOKEN.test(pupil) && markers === 5) {
    if (otherFields(rest, ['replyToId']).length > 0) return undefined;
    const { replyToId } = rest;
    const who = pupilField(conversationId, pupil);
    if (replyToId === undefined) return ['b', suffix, time, ref, who, ''].join(SEPARATOR);
    const repliedTo = typeof replyToId === 'string' && replyToId.startsWith(`${conversationId}|`) ? replyToId.slice(conversationId.length + 1) : undefined;
    return repliedTo && TOKEN.test(repliedTo) ? ['b', suffix, time, ref, who, repliedTo].join(SEPARATOR) : undefined;
  }
  if (entry[TO_BOT] === 1 && entry[DIRECT_LINE] === 1 && markers === 5) {
    const { type, from } = rest;
    const sender = from as { id?: unknown; name?: unknown; role?: unknown } | undefined;
    if (type !== 'message' || typeof sender?.id !== 'string' || !TOKEN.test(sender.id) || !isDeepStrictEqual(sender, { id: sender.id, name: '', role: 'user' })) return undefined;
    const fields = otherFields(rest, ['type', 'from']);
    if (fields.some((field) => field.startsWith('~'))) return undefined;
    const who = pupilField(conversationId, sender.id);
    if (fields.length === 1 && fields[0] === 'text' && typeof rest.text === 'string') return ['t', suffix, time, who, rest.text].join(SEPARATOR);
    const others: Activity = {};
    for (const field of fields) setOwn(others, field, rest[field]);
    return ['u', suffix, time, who, JSON.stringify(others)].join(SEPARATOR);
  }
  return undefined;
}

function pupilField(conversationId: string, pupil: string): string {
  return pupil === pupilIdFor(conversationId) ? '' : pupil;
}

function pupilFrom(conversationId: string, field: string): string {
  return field === '' ? pupilIdFor(conversationId) : field;
}

/** The prefix a compact line for the activity with this id suffix starts with, whatever its kind after the first letter. */
export function compactPrefix(suffix: string): string {
  return `${SEPARATOR}${suffix}${SEPARATOR}`;
}

/** A stored line as the entry object decodeActivity reads, whichever form it was kept in. */
export function parseEntry(conversationId: string, line: string): Activity {
  if (line.startsWith('{')) return JSON.parse(line) as Activity;
  const fields = line.split(SEPARATOR);
  const [kind, suffix, time] = fields;
  if (kind === 'b' && fields.length === 6) {
    const [, , , ref, pupil, repliedTo] = fields;
    const entry: Activity = { [ID_SUFFIX]: suffix, [SAME_CONVERSATION]: 1, [PUPIL]: pupilFrom(conversationId, pupil), [TIME]: time, [BODY]: ref };
    if (repliedTo) entry.replyToId = `${conversationId}|${repliedTo}`;
    return entry;
  }
  if ((kind === 't' || kind === 'u') && fields.length >= 5) {
    const pupil = fields[3];
    // the text or JSON is everything after the fourth separator, tabs and all
    const last = line.slice(kind.length + suffix.length + time.length + pupil.length + 4 * SEPARATOR.length);
    const entry: Activity = { [ID_SUFFIX]: suffix, [SAME_CONVERSATION]: 1, [TO_BOT]: 1, [TIME]: time, [DIRECT_LINE]: 1, type: 'message' };
    if (kind === 't') entry.text = last;
    else for (const [field, value] of Object.entries(JSON.parse(last) as Activity)) setOwn(entry, field, value);
    entry.from = { id: pupilFrom(conversationId, pupil), name: '', role: 'user' };
    return entry;
  }
  throw new Error(`ConversationLog.read(): an entry of conversation ${conversationId} is in no known form`);
}

/** The shared body a stored entry refers to, if any. */
export function bodyReference(entry: Activity): string | undefined {
  const ref = entry[BODY];
  return typeof ref === 'string' ? ref : undefined;
}

/** The activity as it was appended. A body missing from the shared hash is reported, not invented. */
export function decodeActivity(conversationId: string, entry: Activity, bodies: Map<string, unknown>): Activity {
  const { [BODY]: ref, [ID_SUFFIX]: suffix, [SAME_CONVERSATION]: same, [TO_BOT]: toBot, [DIRECT_LINE]: directLine, [PUPIL]: pupil, [TIME]: time } = entry;
  const activity: Activity = {};
  if (typeof ref === 'string') {
    const body = bodies.get(ref);
    if (body === undefined) throw new Error(`ConversationLog.read(): the shared body of an activity in conversation ${conversationId} is missing`);
    Object.assign(activity, body);
  }
  // field by field, not a copy of the entry without its markers (see encodeActivity)
  for (const field of Object.keys(entry)) if (!MARKERS.has(field)) setOwn(activity, field, entry[field]);
  if (typeof suffix === 'string') activity.id = `${conversationId}|${suffix}`;
  if (same === 1) activity.conversation = standardConversation(conversationId);
  if (toBot === 1) activity.recipient = { ...BOT_RECIPIENT };
  if (typeof pupil === 'string') activity.recipient = { id: pupil, name: '', role: 'user' };
  if (typeof time === 'string') activity.timestamp = isoTime(time);
  if (directLine === 1) Object.assign(activity, { channelId: 'directline', serviceUrl: 'urn:directline' });
  return activity;
}
