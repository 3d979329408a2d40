import { readAssetManifest } from '../../adapters/web/assetManifest';
import { DirectLineTestClient, headers } from '../support/directLineClient';
import { startInProcess, type InProcessServer } from '../support/inProcessServer';
import { startRedisServer, type RedisServer } from '../support/redisServer';
import { StandInConnector } from '../teams/support/standInConnector';
import { leaksInternals } from '../fuzz/arbitraries';
import { createServer } from 'node:http';
import express from 'express';
import type { AddressInfo } from 'node:net';
import { CloudAdapter } from 'botbuilder';
import { createBotFrameworkRouter, createCloudAdapter, TurnNotCompletedError } from '../../adapters/botframework/botFrameworkEndpoint';
import { loadConfig } from '../../adapters/config/config';
import { createTurnErrorHandler } from '../../bot/turnErrorHandler';
import { EtagConflictError } from '../../bot/ports';
import { content } from '../support/contentText';
import { createApp } from '../../adapters/http/app';
import { createMemoryStores } from '../../adapters/memory/memoryStores';
import type { Logger } from '../../bot/ports';

/** Security headers on every kind of response, and no stack trace or internal error text in any body. */
describe('security headers', () => {
  let server: InProcessServer;
  beforeAll(async () => {
    // 5 posts at once per conversation, counted before the body is read
    server = await startInProcess({ RATE_LIMIT_MESSAGES_PER_MINUTE: '10' });
  });
  afterAll(() => server.close());

  const expectBaseHeaders = (response: Response) => {
    expect(response.headers.get('x-content-type-options')).toBe('nosniff');
    expect(response.headers.get('referrer-policy')).toBe('no-referrer');
    expect(response.headers.get('x-powered-by')).toBeNull();
  };

  it('on Direct Line answers of every kind: 200, 201, 4xx, 415, 429 and the CORS preflight', async () => {
    const client = await DirectLineTestClient.start(server.url);
    const url = `${server.url}/v3/directline/conversations/${client.conversationId}/activities`;
    const post = (body: string, type = 'application/json') => fetch(url, { method: 'POST', headers: { ...headers(client.token), 'content-type': type }, body });
    const responses = [
      await fetch(url, { headers: headers(client.token) }),
      await fetch(`${server.url}/v3/directline/conversations`, { method: 'POST', headers: headers(client.token) }),
      await post('{"type":'),
      await post('text=hi', 'application/x-www-form-urlencoded'),
      await fetch(url),
      await fetch(url, { method: 'OPTIONS' }),
      await post('{"type":"message","text":"one"}'),
      await post('{"type":"message","text":"two"}'),
      await post('{"type":"message","text":"three"}'),
      await post('{"type":"message","text":"four"}'),
    ];
    expect(responses.map((response) => response.status)).toEqual([200, 201, 400, 415, 401, 204, 200, 200, 200, 429]);
    for (const response of responses) {
      expectBaseHeaders(response);
      expect(response.headers.get('cache-control')).toBe('no-store');
      // never cached, so no ETag is worked out for them
      expect(response.headers.get('etag')).toBeNull();
      expect(response.headers.get('access-control-allow-origin')).toBe('*');
    }
    // Web Chat's bundle, from disk, keeps its validator so a browser can revalidate it cheaply.
    const manifest = readAssetManifest();
    if (!manifest) throw new Error('the chat page has not been built: run npm run build first');
    const bundle = await fetch(`${server.url}/assets/${manifest.assets['webchat.js']}`);
    expect(bundle.status).toBe(200);
    expect(bundle.headers.get('etag')).toMatch(/^W\/"/);
    await bundle.arrayBuffer();
  });

  /** A Content-Security-Policy header as its directives, each with its sources. */
  const directives = (response: Response): Record<string, string> =>
    Object.fromEntries(
      (response.headers.get('content-security-policy') ?? '')
        .split(';')
        .map((directive) => directive.trim().split(/\s+/))
        .filter((words) => words[0] !== '')
        .map(([name, ...sources]) => [name, sources.join(' ')]),
    );

  it('on the chat page: a Content-Security-Policy with no inline script, framing only by itself', async () => {
    const expected = {
      'default-src': "'self'",
      'script-src': "'self'",
      'style-src': "'self' 'unsafe-inline'",
      'img-src': "'self' data: blob:",
      'font-src': "'self' data:",
      'connect-src': "'self' ws: wss:",
      'frame-ancestors': "'self'",
      'base-uri': "'none'",
      'form-action': "'none'",
    };
    // The page's script and styles are files under /assets/: a policy there would have no effect.
    for (const path of ['/', '/s/default']) {
      const page = await fetch(`${server.url}${path}`);
      expect([path, page.status]).toEqual([path, 200]);
      expectBaseHeaders(page);
      expect(directives(page)).toEqual(expected);
      expect(page.headers.get('x-frame-options')).toBe('SAMEORIGIN');
      await page.arrayBuffer();
    }
  });

  it('on the adviser console: a strict Content-Security-Policy and no framing at all', async () => {
    for (const path of ['/adviser', '/adviser/insights', '/adviser/console.js']) {
      const page = await fetch(`${server.url}${path}`);
      expect([path, page.status]).toEqual([path, 200]);
      expectBaseHeaders(page);
      expect(directives(page)).toEqual({
        'default-src': "'self'",
        'script-src': "'self'",
        'style-src': "'self'",
        'img-src': "'self' data:",
        'connect-src': "'self'",
        'frame-ancestors': "'none'",
        'base-uri': "'none'",
        'form-action': "'self'",
      });
      expect(page.headers.get('x-frame-options')).toBe('DENY');
      await page.arrayBuffer();
    }
  });

  it("lets a school's own site load Web Chat's bundle (no Cross-Origin-Resource-Policy), with no page policy on it", async () => {
    const manifest = readAssetManifest();
    if (!manifest) throw new Error('the chat page has not been built: run npm run build first');
    const bundle = await fetch(`${server.url}/assets/${manifest.assets['webchat.js']}`);
    expect(bundle.status).toBe(200);
    expectBaseHeaders(bundle);
    expect(bundle.headers.get('cross-origin-resource-policy')).toBeNull();
    expect(bundle.headers.get('content-security-policy')).toBeNull();
    await bundle.arrayBuffer();
  });

  it('on 404s, the token endpoint and health checks; HSTS when served over HTTPS', async () => {
    for (const response of [await fetch(`${server.url}/no-such-page`), await fetch(`${server.url}/healthz`), await fetch(`${server.url}/api/webchat/token`, { method: 'POST' })]) {
      expectBaseHeaders(response);
      expect(response.headers.get('strict-transport-security')).toBeNull();
    }
    // behind a TLS-terminating proxy on this machine
    const secure = await fetch(`${server.url}/healthz`, { headers: { 'x-forwarded-proto': 'https' } });
    expect(secure.headers.get('strict-transport-security')).toBe('max-age=31536000');
  });
});

describe('no stack traces or internal error text in responses', () => {
  let redis: RedisServer;
  let server: InProcessServer;
  let connector: StandInConnector;
  let quiet: jest.SpyInstance;

  beforeAll(async () => {
    quiet = jest.spyOn(console, 'error').mockImplementation(() => undefined);
    redis = await startRedisServer();
    connector = await new StandInConnector().start();
    server = await startInProcess({ NODE_ENV: 'development', REDIS_URL: redis.url, REDIS_KEY_PREFIX: 'errors:' });
  });
  afterAll(async () => {
    await server?.close();
    await connector?.close();
    await redis?.destroy();
    quiet.mockRestore();
  });

  const expectClean = async (response: Response): Promise<{ error?: { code: string; message: string } }> => {
    // The token's stream address names the host the client asked for (its own Host header), which
    // is no internal: only other addresses (Redis's) would be.
    const text = (await response.text()).split(`//${new URL(server.url).host}/`).join('//<this server>/');
    expect(leaksInternals(text)).toBe(false);
    expect(text).not.toMatch(/ECONNREFUSED|Connection is closed|Command timed out|127\.0\.0\.1:\d+|redis|ioredis|eTag|Storage:/i);
    return text === '' ? {} : (JSON.parse(text) as { error?: { code: string; message: string } });
  };

  it('bad input that the parsers throw on gets a plain 4xx body', async () => {
    const cases: [string, RequestInit, number][] = [
      ['/v3/directline/conversations/%E0%A4%A/activities', {}, 400],
      ['/v3/directline/%', {}, 404],
      ['/api/messages', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"type": "message", ' }, 400],
      ['/api/messages', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"text":"no type, no conversation"}' }, 400],
      ['/api/messages', { method: 'POST', headers: { 'content-type': 'application/json; charset=latin1' }, body: '{}' }, 415],
      ['/api/messages', { method: 'POST', headers: { 'content-type': 'text/plain' }, body: 'hello' }, 415],
      ['/api/messages', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ text: 'x'.repeat(70_000) }) }, 413],
      ['/api/adviser/login', { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'username=a&password=b' }, 415],
      ['/api/webchat/token', { method: 'POST', headers: { 'content-type': 'text/plain' }, body: 'x' }, 415],
      ['/v3/directline/tokens/generate', { method: 'POST', headers: { 'content-type': 'text/plain' }, body: 'x' }, 415],
    ];
    for (const [path, init, status] of cases) {
      const response = await fetch(`${server.url}${path}`, init);
      expect([path, response.status]).toEqual([path, status]);
      const body = await expectClean(response);
      expect(body.error).toEqual({ code: expect.any(String), message: expect.any(String) });
    }
  });

  it('with Redis gone, every failing request gets a generic error and no internals', async () => {
    const client = await DirectLineTestClient.start(server.url);
    await redis.stop(); // for the rest of this suite; afterAll removes it
    const url = `${server.url}/v3/directline/conversations/${client.conversationId}/activities`;
    const responses = await Promise.all([
      fetch(url, { headers: headers(client.token) }),
      fetch(url, { method: 'POST', headers: { ...headers(client.token), 'content-type': 'application/json' }, body: '{"type":"message","text":"menu"}' }),
      fetch(`${server.url}/api/webchat/token`, { method: 'POST' }),
      fetch(`${server.url}/readyz`),
      fetch(`${server.url}/api/messages`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ type: 'message', id: 'a1', channelId: 'msteams', serviceUrl: connector.url, from: { id: 'u1' }, recipient: { id: 'b1' }, conversation: { id: 'c-down' }, text: 'menu' }),
      }),
    ]);
    // Degraded mode: the chat page still gets a conversation (kept in this process) and the
    // message gets the safe reply; Redis's errors really ran, and /readyz says so.
    expect(responses.map((response) => response.status)).toEqual([200, 200, 200, 503, expect.any(Number)]);
    for (const response of responses) {
      if (response.url.endsWith('/readyz')) continue; // names the failing store, by design
      const body = await expectClean(response);
      if (response.status >= 500) expect(body.error).toEqual({ code: expect.any(String), message: expect.any(String) });
    }
  });
});

describe('a bot turn that fails, on /api/messages and in express', () => {
  const activity = {
    type: 'message',
    id: 'a1',
    channelId: 'emulator',
    serviceUrl: 'http://127.0.0.1:9/',
    from: { id: 'u1' },
    recipient: { id: 'b1' },
    conversation: { id: 'c1' },
    text: 'my secret words',
  };
  let quiet: jest.SpyInstance;
  beforeEach(() => {
    // CloudAdapter prints what reaches its own catch with console.error
    quiet = jest.spyOn(console, 'error').mockImplementation(() => undefined);
  });
  afterEach(() => quiet.mockRestore());

  /** The real CloudAdapter (no credentials) with the bot's turn error handler, a bot whose turn throws `thrown`, and an express route that throws. */
  async function serve(thrown: Error) {
    const logged: { message: string; fields?: Record<string, unknown> }[] = [];
    const record = (message: string, fields?: Record<string, unknown>) => logged.push({ message, fields });
    const logger: Logger = { debug: () => undefined, info: () => undefined, warn: record, error: record };
    const adapter = createCloudAdapter(loadConfig({}), createTurnErrorHandler(content, logger), logger);
    const router = createBotFrameworkRouter({ adapter, logic: () => Promise.reject(thrown), mode: 'open-development' });
    const throwing = express.Router().get('/boom', () => {
      throw thrown;
    });
    const app = createApp({
      stores: createMemoryStores({ retentionDays: 1 }),
      logger,
      routers: [
        { path: '/', router },
        { path: '/', router: throwing },
      ],
    });
    const server = createServer(app);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const close = async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    };
    return { url, logged, close };
  }

  it('a turn that throws is answered by the turn error handler (200 to the channel), logged without the pupil text; in express, 500 with the generic body', async () => {
    const { url, logged, close } = await serve(new Error('internal detail: /work/secret/path.ts:12 password=hunter2'));
    try {
      const turn = await fetch(`${url}/api/messages`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(activity) });
      expect(turn.status).toBe(200);
      expect(await turn.text()).toBe('');
      const boom = await fetch(`${url}/boom`);
      expect(boom.status).toBe(500);
      const text = await boom.text();
      expect(JSON.parse(text)).toEqual({ error: { code: 'ServiceError', message: 'something went wrong; please try again' } });
      expect(text).not.toMatch(/internal detail|secret|hunter2|\bat /);
      // the apology cannot reach the made-up serviceUrl: that is logged too
      expect(logged.map((entry) => entry.message)).toEqual(['turn failed', 'could not send the error reply', 'request failed']);
      expect(JSON.stringify(logged)).not.toContain('my secret words');
    } finally {
      await close();
    }
  });

  it('a turn the handler passes back (an eTag conflict) is a 500 with only the fixed text, so the channel sends it again', async () => {
    const { url, logged, close } = await serve(new EtagConflictError('emulator/conversations/c1/'));
    try {
      const turn = await fetch(`${url}/api/messages`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(activity) });
      expect(turn.status).toBe(500);
      expect(await turn.text()).toBe(new TurnNotCompletedError().message);
      expect(logged.map((entry) => entry.message)).toEqual(['/api/messages turn not completed']);
      expect(JSON.stringify(logged)).not.toContain('my secret words');
    } finally {
      await close();
    }
  });

  it('refuses to mount an adapter with no turn error handler, whose errors CloudAdapter would send as they are', () => {
    expect(() => createBotFrameworkRouter({ adapter: new CloudAdapter(), logic: async () => undefined, mode: 'open-development' })).toThrow(/no turn error handler/);
  });
});
