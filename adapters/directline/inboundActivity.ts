import { z } from 'zod';
import { cleanText, shapeProblem } from '../http/inputShape';

export const MAX_TEXT_LENGTH = 4000;
const MAX_VALUE_DEPTH = 8;

/** A string from the client, at most `max` long, kept without control characters (see cleanText). */
const shortText = (max: number) => z.string().max(max).transform(cleanText);

/**
 * What a web chat client may send. Unknown fields are dropped rather than stored, and the server
 * sets id, from, recipient, conversation, channelId and timestamp itself.
 */
const InboundActivity = z
  .object({
    type: z.enum(['message', 'event', 'typing'], { message: 'type must be message, event or typing' }),
    text: shortText(MAX_TEXT_LENGTH).optional(),
    textFormat: z.enum(['plain', 'markdown', 'xml']).optional(),
    locale: shortText(20).optional(),
    name: shortText(100).optional(),
    value: z
      .unknown()
      .superRefine((value, ctx) => {
        const problem = shapeProblem(value, MAX_VALUE_DEPTH);
        if (problem) ctx.addIssue({ code: 'custom', message: `value is ${problem}` });
      })
      .optional(),
    attachments: z.array(z.unknown()).max(0, 'attachments are not accepted').optional(),
    // Web Chat's thumbs under an answer come back as an event carrying the pressed schema.org
    // action, which has an '@type' but not the Bot Framework entity's required `type`.
    entities: z
      .array(
        z
          .record(z.string(), z.unknown())
          .transform((entity) => ({ ...entity, type: typeof entity.type === 'string' ? entity.type : typeof entity['@type'] === 'string' ? entity['@type'] : 'unknown' })),
      )
      .max(4, 'at most 4 entities')
      .superRefine((entities, ctx) => {
        const problem = shapeProblem(entities, MAX_VALUE_DEPTH);
        if (problem) ctx.addIssue({ code: 'custom', message: `entities are ${problem}` });
      })
      .optional(),
    channelData: z.object({ clientActivityID: shortText(100).optional(), clientTimestamp: shortText(40).optional() }).optional(),
    from: z.object({ id: shortText(200).optional(), name: shortText(200).optional(), role: shortText(20).optional() }).optional(),
  })
  .superRefine((activity, ctx) => {
    if (activity.type === 'message' && !activity.text?.trim() && activity.value === undefined) {
      ctx.addIssue({ code: 'custom', path: ['text'], message: 'a message needs text' });
    }
    if (activity.type === 'event' && !activity.name) {
      ctx.addIssue({ code: 'custom', path: ['name'], message: 'an event needs a name' });
    }
  });

export type InboundActivity = z.infer<typeof InboundActivity>;

export type ParsedInbound = { ok: true; activity: InboundActivity } | { ok: false; reason: string };

export function parseInboundActivity(body: unknown): ParsedInbound {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return { ok: false, reason: 'the body must be a JSON activity object' };
  const parsed = InboundActivity.safeParse(body);
  if (parsed.success) return { ok: true, activity: parsed.data };
  const issue = parsed.error.issues[0];
  const where = issue.path.length > 0 ? `${issue.path.join('.')}: ` : '';
  return { ok: false, reason: `invalid activity: ${where}${issue.message}` };
}
