import fc from 'fast-check';
import { Redis } from 'ioredis';
import { content } from '../support/contentText';
import { DirectLineTestClient, headers } from '../support/directLineClient';
import { startInProcess, type InProcessServer } from '../support/inProcessServer';
import { startRedisServer, type RedisServer } from '../support/redisServer';
import { contentType, deeplyNested, field, wrongType, fuzzSeed, isPolluted, leaksInternals, malformedJson, prototypeKeyInjection, prototypeSnapshot, pupilText, trickyPieces } from './arbitraries';

/**
 * Property: whatever a client sends to POST .../activities, the answer is a 2xx or a 4xx, never a
 * 5xx or a crash; a 4xx stores nothing (the conversation's log and Redis's key count are
 * unchanged); a 2xx stores only the fields a pupil may set, as clean text, and a message gets a
 * normal bot reply (not the turn-error apology); and Object.prototype is never touched.
 * The real app on a real redis-server; rate limits off, so every request reaches the parser.
 */
jest.setTimeout(120_000);

const STORED_FIELDS = new Set(['type', 'text', 'textFormat', 'locale', 'name', 'value', 'channelData', 'id', 'channelId', 'serviceUrl', 'timestamp', 'from', 'recipient', 'conversation']);
// eslint-disable-next-line no-control-regex -- the control characters the channel must refuse
const CONTROL = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F]/;
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

interface FuzzRequest {
  kind: string;
  body: string;
  contentType: string | undefined;
}

const validBase = { type: 'message', text: 'hello', from: { id: 'pupil', role: 'user' }, channelData: { clientActivityID: 'c-1' } };

const activityFields = fc.record(
  {
    type: field(fc.constantFrom('message', 'message', 'message', 'event', 'typing')),
    text: field(pupilText),
    textFormat: field(fc.constantFrom('plain', 'markdown', 'xml')),
    locale: field(fc.constantFrom('en-GB', 'ar-SA', 'he-IL')),
    name: field(fc.constantFrom('webchat/join', 'postBack')),
    value: field(fc.jsonValue({ maxDepth: 4 })),
    attachments: field(fc.constant([])),
    channelData: field(fc.record({ clientActivityID: field(fc.string({ maxLength: 20 })), clientTimestamp: field(fc.string({ maxLength: 30 })) })),
    from: field(fc.record({ id: field(fc.string({ maxLength: 20 })), name: field(pupilText), role: field(fc.constantFrom('user', 'bot')) })),
    id: field(fc.string({ maxLength: 20 })),
    recipient: field(fc.record({ id: fc.string({ maxLength: 10 }) })),
    conversation: field(fc.record({ id: fc.string({ maxLength: 10 }) })),
    serviceUrl: field(fc.constantFrom('http://169.254.169.254/', 'https://evil.example/')),
    timestamp: field(fc.date({ noInvalidDate: true }).map((date) => date.toISOString())),
  },
  { requiredKeys: [] },
);

/** A message as Web Chat sends it, with any text and a name, and sometimes an event or typing. */
const rightActivity = fc.record(
  {
    type: fc.constantFrom('message', 'message', 'message', 'message', 'event', 'typing'),
    text: pupilText,
    from: fc.record({ id: fc.constant('pupil'), name: pupilText, role: fc.constant('user') }),
    channelData: fc.record({ clientActivityID: fc.string({ maxLength: 20 }) }),
    locale: fc.constantFrom('en-GB', 'ar-SA', 'he-IL'),
    name: fc.constantFrom('webchat/join', 'postBack'),
    value: fc.jsonValue({ maxDepth: 3 }),
  },
  { requiredKeys: ['type', 'text', 'name'] },
);

/** A right activity with one field of the wrong type (or an unknown field). */
const oneWrongField = fc
  .tuple(
    rightActivity,
    fc.constantFrom('type', 'text', 'from', 'channelData', 'attachments', 'value', 'id', 'locale', 'name', 'textFormat', 'recipient', 'conversation', 'timestamp', 'entities', 'unknownField'),
    wrongType,
  )
  .map(([activity, key, value]) => ({ ...activity, [key]: value }));

const withJson = (kind: string, body: fc.Arbitrary<string>): fc.Arbitrary<FuzzRequest> => fc.tuple(body, contentType).map(([text, type]) => ({ kind, body: text, contentType: type }));

const requests: fc.Arbitrary<FuzzRequest> = fc.oneof(
  {
    weight: 5,
    arbitrary: withJson(
      'right activity',
      rightActivity.map((activity) => JSON.stringify(activity)),
    ),
  },
  {
    weight: 3,
    arbitrary: withJson(
      'one wrong field',
      oneWrongField.map((activity) => JSON.stringify(activity)),
    ),
  },
  {
    weight: 2,
    arbitrary: withJson(
      'any fields',
      activityFields.map((activity) => JSON.stringify(activity)),
    ),
  },
  { weight: 2, arbitrary: withJson('malformed', malformedJson(JSON.stringify(validBase))) },
  { weight: 1, arbitrary: withJson('prototype key', prototypeKeyInjection(validBase)) },
  {
    weight: 1,
    arbitrary: withJson(
      'deep',
      fc
        .tuple(fc.integer({ min: 1, max: 30_000 }), fc.constantFrom<'array' | 'object'>('array', 'object'), fc.constantFrom('top', 'value', 'channelData'))
        .map(([depth, shape, where]) => (where === 'top' ? deeplyNested(depth, shape) : `{"type":"message","text":"hi","${where}":${deeplyNested(depth, shape)}}`)),
    ),
  },
  {
    weight: 1,
    arbitrary: withJson(
      'huge',
      fc
        .tuple(fc.integer({ min: 3_990, max: 90_000 }), fc.constantFrom(...trickyPieces, 'x', 'é', '\u0000'))
        .map(([length, piece]) => JSON.stringify({ type: 'message', text: piece.repeat(Math.ceil(length / piece.length)) })),
    ),
  },
);

describe('fuzz: POST /v3/directline/conversations/{id}/activities', () => {
  let redis: RedisServer;
  let server: InProcessServer;
  let inspector: Redis;
  let client: DirectLineTestClient;
  const apology = content.answer('error.turn').text;

  beforeAll(async () => {
    redis = await startRedisServer();
    server = await startInProcess({ REDIS_URL: redis.url, REDIS_KEY_PREFIX: 'fuzz:', RATE_LIMIT_ADDRESS_PER_MINUTE: '0', RATE_LIMIT_MESSAGES_PER_MINUTE: '0', RATE_LIMIT_POLLS_PER_MINUTE: '0' });
    inspector = new Redis(redis.url);
    client = await DirectLineTestClient.start(server.url);
    await client.waitForBot((activity) => Boolean(activity.suggestedActions));
  });
  afterAll(async () => {
    inspector?.disconnect();
    await server?.close();
    await redis?.destroy();
  });

  const logLength = async () => (await server.runtime.stores.conversations.read(client.conversationId, 0)).watermark;

  it('answers every request with a 2xx or 4xx; a 4xx stores nothing; a 2xx stores clean fields and gets a normal reply', async () => {
    const prototypeBefore = prototypeSnapshot();
    const statuses = new Map<number, number>();
    let sentCount = 0;
    await fc.assert(
      fc.asyncProperty(requests, async (request) => {
        const keysBefore = await inspector.dbsize();
        const before = await logLength();
        const requestHeaders: Record<string, string> = headers(client.token);
        if (request.contentType !== undefined) requestHeaders['content-type'] = request.contentType;
        // Web Chat gives every message its own clientActivityID, and a repeated one is (rightly)
        // taken as the same message sent again: each generated request is a new message.
        sentCount += 1;
        const body = request.body.replace(/"c-1"/g, `"c-${sentCount}"`);
        const response = await fetch(`${server.url}/v3/directline/conversations/${client.conversationId}/activities`, { method: 'POST', headers: requestHeaders, body });
        const text = await response.text();
        statuses.set(response.status, (statuses.get(response.status) ?? 0) + 1);

        expect(response.status).toBeGreaterThanOrEqual(200);
        expect(response.status).toBeLessThan(500);
        expect(leaksInternals(text)).toBe(false);
        expect(isPolluted(prototypeBefore)).toBe(false);
        const answer = JSON.parse(text) as { id?: string; error?: { code: string; message: string } };

        if (response.status >= 400) {
          expect(answer.error).toEqual({ code: expect.any(String), message: expect.any(String) });
          expect(await logLength()).toBe(before);
          expect(await inspector.dbsize()).toBe(keysBefore);
          return;
        }
        expect(response.status).toBe(200);
        expect(answer.id).toEqual(expect.any(String));
        const page = await server.runtime.stores.conversations.read(client.conversationId, before);
        const sent = JSON.parse(body) as { type: string };
        if (sent.type === 'typing') {
          expect(page.activities).toEqual([]);
          return;
        }
        const [stored, ...replies] = page.activities as Record<string, unknown>[];
        expect(stored.id).toBe(answer.id);
        expect(Object.keys(stored).filter((key) => !STORED_FIELDS.has(key))).toEqual([]);
        expect(/(?<!\\)"(__proto__|constructor|prototype)":/.test(JSON.stringify(stored))).toBe(false);
        expect(stored).toMatchObject({ channelId: 'directline', from: { role: 'user' }, conversation: { id: client.conversationId } });
        expect(stored.serviceUrl).toBe('urn:directline');
        for (const value of [stored.text, (stored.from as { name?: string }).name]) {
          if (typeof value !== 'string') continue;
          expect(CONTROL.test(value)).toBe(false);
          expect(LONE_SURROGATE.test(value)).toBe(false);
        }
        for (const reply of replies) {
          expect(reply).toMatchObject({ type: 'message', from: { role: 'bot' } });
          expect(reply.text).not.toBe(apology);
        }
        if (sent.type === 'message') {
          expect(replies.length).toBeGreaterThan(0);
          expect(replies.some((reply) => typeof reply.text === 'string' && reply.text.length > 0)).toBe(true);
        }
      }),
      { numRuns: Number(process.env.FUZZ_RUNS ?? 150), seed: fuzzSeed },
    );
    process.stdout.write(`directline fuzz statuses: ${JSON.stringify([...statuses].sort())}\n`);
    // the mix really exercised both sides
    const count = (from: number, to: number) => [...statuses].filter(([status]) => status >= from && status < to).reduce((sum, [, n]) => sum + n, 0);
    expect(count(200, 300)).toBeGreaterThan(10);
    expect(count(400, 500)).toBeGreaterThan(10);
    expect(statuses.get(413)).toBeGreaterThan(0);
    expect(statuses.get(415)).toBeGreaterThan(0);
    expect((await fetch(`${server.url}/healthz`)).status).toBe(200);
  });

  it('answers odd paths, watermarks and Authorization headers on the other routes with a 2xx or 4xx and no internals', async () => {
    const odd = fc.oneof(
      fc.string({ maxLength: 30 }),
      fc.string({ unit: 'binary', maxLength: 20 }),
      fc.constantFrom('%', '%E0%A4%A', '..%2F..%2Fetc%2Fpasswd', '%00', '-1', '1e9', '999999999999', '0x10', ' 1'),
    );
    const routes = fc.record({
      method: fc.constantFrom('GET', 'POST', 'PUT', 'DELETE', 'PATCH', 'OPTIONS'),
      path: fc.oneof(
        odd.map((watermark) => `/v3/directline/conversations/${client.conversationId}/activities?watermark=${encodeURIComponent(watermark)}`),
        odd.map((id) => `/v3/directline/conversations/${encodeURIComponent(id)}/activities`),
        odd.map((raw) => `/v3/directline/conversations/${raw.replace(/[^\x21-\x7e]/g, '')}`),
        fc.constantFrom(
          '/v3/directline/tokens/refresh',
          '/v3/directline/tokens/generate',
          '/v3/directline/conversations',
          '/api/webchat/token',
          '/v3/directline/%',
          '/v3/directline/conversations/%E0%A4%A/activities',
        ),
      ),
      authorization: fc.oneof(
        fc.constant(`Bearer ${client.token}`),
        fc.constant(undefined),
        fc.string({ maxLength: 40 }).map((raw) => raw.replace(/[^\x20-\x7e]/g, '')),
        fc.constantFrom('Bearer ', 'Bearer a.b.c', 'Basic YWxhZGRpbjpvcGVuc2VzYW1l', `Bearer ${client.token}x`),
      ),
    });
    await fc.assert(
      fc.asyncProperty(routes, async ({ method, path, authorization }) => {
        const keysBefore = await inspector.dbsize();
        const requestHeaders: Record<string, string> = {};
        if (authorization !== undefined) requestHeaders.authorization = authorization;
        const response = await fetch(`${server.url}${path}`, { method, headers: requestHeaders });
        const text = await response.text();
        expect(response.status).toBeGreaterThanOrEqual(200);
        expect(response.status).toBeLessThan(500);
        expect(leaksInternals(text)).toBe(false);
        // only the routes that make a conversation may add keys
        if (!/tokens\/generate|webchat\/token|conversations$/.test(path) || response.status >= 400) expect(await inspector.dbsize()).toBe(keysBefore);
      }),
      { numRuns: 150, seed: fuzzSeed },
    );
  });
});
