import { z } from 'zod';
import { shapeProblem } from '../http/inputShape';

const MAX_DEPTH = 16;
const MAX_TEXT_LENGTH = 8000;

const id = (max: number) => z.string().min(1).max(max);
const account = z.looseObject({ id: id(512), name: z.string().max(512).optional(), aadObjectId: z.string().max(128).optional(), role: z.string().max(32).optional() });
const httpUrl = z
  .string()
  .max(2048)
  .refine((value) => {
    const url = URL.canParse(value) ? new URL(value) : undefined;
    return url?.protocol === 'https:' || url?.protocol === 'http:';
  }, 'must be an http(s) URL');

/**
 * The fields of an incoming Bot Framework activity that botbuilder and this bot read, with their
 * types: anything else fails here with a 400 instead of deep inside the SDK with a 500. Fields
 * it does not name (Teams sends many) pass through untouched.
 */
const ChannelActivity = z.looseObject({
  type: id(64),
  id: z.string().max(512).optional(),
  serviceUrl: httpUrl,
  channelId: id(64),
  conversation: z.looseObject({ id: id(512), tenantId: z.string().max(128).optional(), conversationType: z.string().max(64).optional(), isGroup: z.boolean().optional() }),
  from: account,
  recipient: account,
  text: z.string().max(MAX_TEXT_LENGTH).optional(),
  textFormat: z.string().max(32).optional(),
  locale: z.string().max(32).optional(),
  name: z.string().max(256).optional(),
  replyToId: z.string().max(512).optional(),
  timestamp: z.string().max(64).optional(),
  localTimestamp: z.string().max(64).optional(),
  channelData: z.looseObject({}).optional(),
  entities: z
    .array(z.looseObject({ type: z.string().max(256).optional() }))
    .max(64)
    .optional(),
  attachments: z
    .array(z.looseObject({ contentType: z.string().max(256).optional() }))
    .max(32)
    .optional(),
  membersAdded: z.array(account).max(256).optional(),
  membersRemoved: z.array(account).max(256).optional(),
});

export type ChannelCheck = { ok: true } | { ok: false; reason: string };

/** Checks a parsed /api/messages body before the SDK sees it; the body itself is passed on unchanged. */
export function checkChannelActivity(body: unknown): ChannelCheck {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return { ok: false, reason: 'the body must be a JSON activity object' };
  const problem = shapeProblem(body, MAX_DEPTH);
  if (problem) return { ok: false, reason: problem };
  const parsed = ChannelActivity.safeParse(body);
  if (parsed.success) return { ok: true };
  const issue = parsed.error.issues[0];
  const where = issue.path.length > 0 ? `${issue.path.join('.')}: ` : '';
  return { ok: false, reason: `invalid activity: ${where}${issue.message}` };
}

/**
 * Without credentials (development only) no token vouches for the serviceUrl, and the bot would
 * send its replies wherever a stranger pointed it. There it may only be this machine, where the
 * Bot Framework Emulator listens.
 */
export function isLoopbackServiceUrl(serviceUrl: string): boolean {
  const url = URL.canParse(serviceUrl) ? new URL(serviceUrl) : undefined;
  if (!url || (url.protocol !== 'http:' && url.protocol !== 'https:') || url.username || url.password) return false;
  return url.hostname === 'localhost' || url.hostname === '[::1]' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(url.hostname);
}
