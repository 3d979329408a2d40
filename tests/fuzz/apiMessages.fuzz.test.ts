import { randomUUID } from 'node:crypto';
import diagnostics from 'node:diagnostics_channel';
import fc from 'fast-check';
import { Redis } from 'ioredis';
import { content } from '../support/contentText';
import { startInProcess, type InProcessServer } from '../support/inProcessServer';
import { startRedisServer, type RedisServer } from '../support/redisServer';
import { StandInConnector } from '../teams/support/standInConnector';
import { contentType, deeplyNested, fuzzSeed, isPolluted, leaksInternals, malformedJson, prototypeKeyInjection, prototypeSnapshot, pupilText, trickyPieces, wrongType } from './arbitraries';

/**
 * Property: whatever reaches POST /api/messages in development mode (no MicrosoftAppId, so no
 * token is checked and every activity reaches the SDK), the answer is a 2xx or 4xx, never a 5xx
 * or a crash; a 4xx stores nothing in Redis and calls no one; a 2xx message gets a normal reply
 * through the stand-in Bot Connector at the activity's serviceUrl; the process never opens an
 * HTTP request to a host other than this machine, whatever serviceUrl names; and Object.prototype
 * is never touched.
 */
jest.setTimeout(120_000);

interface FuzzRequest {
  kind: string;
  body: string;
  contentType: string | undefined;
  /** the activity's serviceUrl is the stand-in connector's, so a reply is expected there */
  toConnector: boolean;
  /** a message with text: a 2xx must bring a reply */
  expectsReply: boolean;
}

const LOCAL_HOSTS = new Set(['127.0.0.1', 'localhost', '::1', '[::1]']);

/** Every outbound HTTP request this process starts through node:http(s), by host. */
function watchOutboundHosts(): { hosts: string[]; stop(): void } {
  const hosts: string[] = [];
  const onStart = (message: unknown) => {
    const request = (message as { request?: { host?: string } }).request;
    hosts.push(request?.host ?? '(unknown)');
  };
  diagnostics.subscribe('http.client.request.start', onStart);
  return { hosts, stop: () => diagnostics.unsubscribe('http.client.request.start', onStart) };
}

const hostileServiceUrls = [
  'http://169.254.169.254/latest/meta-data/',
  'https://evil.example/',
  'http://10.0.0.1/',
  'http://192.168.1.1:8080/',
  'http://0/',
  'http://0.0.0.0:80/',
  'http://127.0.0.1.nip.io/',
  'http://localhost.evil.example/',
  'http://user:pass@127.0.0.1:9/',
  'http://[::ffff:a9fe:a9fe]/',
  'http://[fe80::1]/',
  'file:///etc/passwd',
  'javascript:alert(1)',
  'ftp://127.0.0.1/',
  'urn:directline',
  '//evil.example/',
  'http:evil.example',
  ' https://evil.example/',
  'https://smba.trafficmanager.net/emea/',
];

describe('fuzz: POST /api/messages (development mode, no credentials)', () => {
  let redis: RedisServer;
  let server: InProcessServer;
  let connector: StandInConnector;
  let inspector: Redis;
  let quiet: jest.SpyInstance;
  const apology = content.answer('error.turn').text;

  beforeAll(async () => {
    // botbuilder prints refused and failed turns with console.error; the properties say what matters
    quiet = jest.spyOn(console, 'error').mockImplementation(() => undefined);
    redis = await startRedisServer();
    connector = await new StandInConnector().start();
    server = await startInProcess({ NODE_ENV: 'development', REDIS_URL: redis.url, REDIS_KEY_PREFIX: 'fuzzbf:' });
    inspector = new Redis(redis.url);
  });
  afterAll(async () => {
    inspector?.disconnect();
    await server?.close();
    await connector?.close();
    await redis?.destroy();
    quiet?.mockRestore();
  });

  const base = (serviceUrl: string, text: string) => ({
    type: 'message',
    id: `act-${randomUUID()}`,
    timestamp: new Date().toISOString(),
    channelId: 'msteams',
    serviceUrl,
    from: { id: `29:pupil-${randomUUID()}`, name: 'Pupil', aadObjectId: randomUUID() },
    recipient: { id: '28:careers-bot', name: 'Careers help' },
    conversation: { id: `a:${randomUUID()}`, conversationType: 'personal', tenantId: 'tenant' },
    channelData: { tenant: { id: 'tenant' } },
    locale: 'en-GB',
    text,
    textFormat: 'plain',
  });

  const requests = (): fc.Arbitrary<FuzzRequest> => {
    const json = (kind: string, body: fc.Arbitrary<{ body: string; toConnector: boolean; expectsReply: boolean }>) =>
      fc.tuple(body, contentType).map(([made, type]) => ({ kind, ...made, contentType: type }));
    const message = fc.tuple(pupilText, fc.constantFrom('msteams', 'emulator', 'webchat', 'directline', 'slack')).map(([text, channelId]) => ({ ...base(connector.url, text), channelId }));
    const activityFields = [
      'type',
      'id',
      'serviceUrl',
      'channelId',
      'conversation',
      'from',
      'recipient',
      'text',
      'textFormat',
      'locale',
      'timestamp',
      'localTimestamp',
      'channelData',
      'entities',
      'attachments',
      'membersAdded',
      'value',
      'replyToId',
      'name',
      'expiration',
      'unknownField',
    ];
    return fc.oneof(
      {
        weight: 4,
        arbitrary: json(
          'message',
          message.map((activity) => ({ body: JSON.stringify(activity), toConnector: true, expectsReply: activity.text.trim().length > 0 })),
        ),
      },
      {
        weight: 1,
        arbitrary: json(
          'other types',
          fc.constantFrom('conversationUpdate', 'event', 'typing', 'messageReaction', 'installationUpdate', 'endOfConversation', 'invoke', 'trace', 'delay', 'handoff', 'x').map((type) => ({
            body: JSON.stringify({
              ...base(connector.url, ''),
              type,
              text: undefined,
              membersAdded: type === 'conversationUpdate' ? [{ id: '28:careers-bot' }, { id: '29:someone' }] : undefined,
              name: 'some/name',
              value: { a: 1 },
            }),
            toConnector: true,
            expectsReply: false,
          })),
        ),
      },
      {
        weight: 3,
        arbitrary: json(
          'one wrong field',
          fc
            .tuple(message, fc.constantFrom(...activityFields), wrongType)
            .map(([activity, key, value]) => ({ body: JSON.stringify({ ...activity, [key]: value }), toConnector: true, expectsReply: false })),
        ),
      },
      {
        weight: 2,
        arbitrary: json(
          'serviceUrl',
          fc
            .tuple(fc.oneof(fc.constantFrom(...hostileServiceUrls), fc.webUrl(), fc.string({ maxLength: 30 })), pupilText)
            .map(([serviceUrl, text]) => ({ body: JSON.stringify(base(serviceUrl, text)), toConnector: false, expectsReply: false })),
        ),
      },
      {
        weight: 1,
        arbitrary: json(
          'malformed',
          malformedJson(JSON.stringify(base('http://127.0.0.1:9/', 'hi'))).map((body) => ({ body, toConnector: false, expectsReply: false })),
        ),
      },
      {
        weight: 1,
        arbitrary: json(
          'prototype key',
          fc
            .constant(0)
            .chain(() => prototypeKeyInjection(base(connector.url, 'hello')))
            .map((body) => ({ body, toConnector: true, expectsReply: false })),
        ),
      },
      {
        weight: 1,
        arbitrary: json(
          'deep',
          fc
            .tuple(fc.integer({ min: 1, max: 30_000 }), fc.constantFrom<'array' | 'object'>('array', 'object'), fc.constantFrom('top', 'value', 'channelData', 'entities'))
            .map(([depth, shape, where]) => ({
              body: where === 'top' ? deeplyNested(depth, shape) : JSON.stringify({ ...base(connector.url, 'hi'), [where]: '__DEEP__' }).replace('"__DEEP__"', deeplyNested(depth, shape)),
              toConnector: true,
              expectsReply: false,
            })),
        ),
      },
      {
        weight: 1,
        arbitrary: json(
          'huge',
          fc
            .tuple(fc.integer({ min: 3_990, max: 90_000 }), fc.constantFrom(...trickyPieces, 'x', '\u0000'))
            .map(([length, piece]) => ({ body: JSON.stringify(base(connector.url, piece.repeat(Math.ceil(length / piece.length)))), toConnector: true, expectsReply: false })),
        ),
      },
    );
  };

  it('answers every request with a 2xx or 4xx; a 4xx stores nothing and calls no one; a 2xx message gets a normal reply; nothing goes off this machine', async () => {
    const prototypeBefore = prototypeSnapshot();
    const outbound = watchOutboundHosts();
    const statuses = new Map<number, number>();
    try {
      await fc.assert(
        fc.asyncProperty(requests(), async (request) => {
          const keysBefore = await inspector.dbsize();
          const callsBefore = connector.calls.length;
          const hostsBefore = outbound.hosts.length;
          const requestHeaders: Record<string, string> = {};
          if (request.contentType !== undefined) requestHeaders['content-type'] = request.contentType;
          const response = await fetch(`${server.url}/api/messages`, { method: 'POST', headers: requestHeaders, body: request.body });
          const text = await response.text();
          statuses.set(response.status, (statuses.get(response.status) ?? 0) + 1);

          expect(response.status).toBeGreaterThanOrEqual(200);
          expect(response.status).toBeLessThan(500);
          expect(leaksInternals(text)).toBe(false);
          expect(isPolluted(prototypeBefore)).toBe(false);
          expect(outbound.hosts.slice(hostsBefore).filter((host) => !LOCAL_HOSTS.has(host))).toEqual([]);

          if (response.status >= 400) {
            expect(JSON.parse(text)).toEqual({ error: { code: expect.any(String), message: expect.any(String) } });
            expect(await inspector.dbsize()).toBe(keysBefore);
            expect(connector.calls.length).toBe(callsBefore);
            expect(outbound.hosts.length).toBe(hostsBefore);
            return;
          }
          const replies = connector.since(callsBefore);
          for (const reply of replies) expect(reply.body.text).not.toBe(apology);
          if (request.toConnector && request.expectsReply) {
            expect(replies.length).toBeGreaterThan(0);
            expect(replies.some((reply) => reply.body.type === 'message' && typeof reply.body.text === 'string' && reply.body.text.length > 0)).toBe(true);
          }
        }),
        { numRuns: Number(process.env.FUZZ_RUNS ?? 150), seed: fuzzSeed },
      );
    } finally {
      outbound.stop();
    }
    process.stdout.write(`/api/messages fuzz statuses: ${JSON.stringify([...statuses].sort())}\n`);
    const count = (from: number, to: number) => [...statuses].filter(([status]) => status >= from && status < to).reduce((sum, [, n]) => sum + n, 0);
    expect(count(200, 300)).toBeGreaterThan(10);
    expect(count(400, 500)).toBeGreaterThan(10);
    expect((await fetch(`${server.url}/healthz`)).status).toBe(200);
  });

  it('refuses every serviceUrl that is not on this machine with 400, before any turn runs', async () => {
    const outbound = watchOutboundHosts();
    try {
      for (const serviceUrl of hostileServiceUrls) {
        const keysBefore = await inspector.dbsize();
        const response = await fetch(`${server.url}/api/messages`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(base(serviceUrl, 'apprenticeships')) });
        expect([serviceUrl, response.status]).toEqual([serviceUrl, 400]);
        expect(await inspector.dbsize()).toBe(keysBefore);
      }
      expect(outbound.hosts).toEqual([]);
    } finally {
      outbound.stop();
    }
  });
});
