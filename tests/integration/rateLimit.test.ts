import WebSocket from 'ws';
import { headers } from '../support/directLineClient';
import { startInProcess, type InProcessServer } from '../support/inProcessServer';

/**
 * The rate limits on the web chat channel, through the real app on in-process stores (each limit
 * counted in this process; tests/integration/sharedRateLimits.test.ts runs them on Redis). Each part speaks
 * from its own client address: the app trusts X-Forwarded-For from loopback (a proxy on this
 * machine), as it would behind the school's reverse proxy.
 */
interface Conversation {
  conversationId: string;
  token: string;
}
interface ErrorBody {
  error: { code: string; message: string };
}

const from = (address: string) => ({ 'x-forwarded-for': address });

async function startConversation(url: string, address: string): Promise<Conversation> {
  const issued = await fetch(`${url}/api/webchat/token`, { method: 'POST', headers: { 'content-type': 'application/json', ...from(address) }, body: '{}' });
  expect(issued.status).toBe(200);
  const { token } = (await issued.json()) as { token: string };
  const started = await fetch(`${url}/v3/directline/conversations`, { method: 'POST', headers: { ...headers(token), ...from(address) } });
  expect(started.status).toBe(201);
  return (await started.json()) as Conversation;
}

const send = (url: string, conversation: Conversation, address: string, text: string) =>
  fetch(`${url}/v3/directline/conversations/${conversation.conversationId}/activities`, {
    method: 'POST',
    headers: { ...headers(conversation.token), ...from(address), 'content-type': 'application/json' },
    body: JSON.stringify({ type: 'message', text }),
  });

const poll = (url: string, conversation: Conversation, address: string) =>
  fetch(`${url}/v3/directline/conversations/${conversation.conversationId}/activities`, { headers: { ...headers(conversation.token), ...from(address) } });

/** A 429 whose Retry-After is the whole seconds left of the key's window (at most `windowSeconds`). */
async function expectTooMany(response: Response, windowSeconds: number): Promise<void> {
  expect(response.status).toBe(429);
  expect(response.headers.get('retry-after')).toMatch(/^[1-9]\d*$/);
  expect(Number(response.headers.get('retry-after'))).toBeLessThanOrEqual(windowSeconds);
  const body = (await response.json()) as ErrorBody;
  expect(body.error.code).toBe('TooManyRequests');
  expect(body.error.message).toEqual(expect.any(String));
}

describe('rate limits on Direct Line (per conversation, per address)', () => {
  let server: InProcessServer;
  const logLength = async (conversation: Conversation) => (await server.runtime.stores.conversations.read(conversation.conversationId, 0)).watermark;

  beforeAll(async () => {
    // Each limit lets half its per-minute figure through in a window of 30 s: messages 30,
    // requests per address 60, new conversations per address 3.
    server = await startInProcess({ RATE_LIMIT_MESSAGES_PER_MINUTE: '60', RATE_LIMIT_ADDRESS_PER_MINUTE: '120', RATE_LIMIT_CONVERSATIONS_PER_MINUTE: '6' });
  });
  afterAll(() => server.close());

  it('a flooded conversation gets 429 with Retry-After after half a minute’s worth and stores nothing of it; another conversation from the same address is unaffected', async () => {
    const address = '198.51.100.1';
    const flooded = await startConversation(server.url, address);
    const other = await startConversation(server.url, address);
    let allowed = 0;
    let before = await logLength(flooded);
    let refused = await send(server.url, flooded, address, 'zzqx');
    while (refused.status === 200 && allowed < 100) {
      allowed += 1;
      before = await logLength(flooded);
      refused = await send(server.url, flooded, address, `zzqx ${allowed}`);
    }
    expect(allowed).toBe(30);
    await expectTooMany(refused, 30);
    expect(await logLength(flooded)).toBe(before);

    expect((await send(server.url, other, address, 'menu')).status).toBe(200);
  });

  it('an address over its limit gets 429 on every Direct Line route (CORS headers kept); other addresses are unaffected', async () => {
    const address = '198.51.100.2';
    const conversation = await startConversation(server.url, address); // 1 Direct Line request
    let allowed = 1;
    let response = await poll(server.url, conversation, address);
    while (response.status === 200 && allowed < 200) {
      allowed += 1;
      response = await poll(server.url, conversation, address);
    }
    expect(allowed).toBe(60);
    await expectTooMany(response, 30);
    expect(response.headers.get('access-control-allow-origin')).toBe('*');
    const [refresh, generate] = await Promise.all([
      fetch(`${server.url}/v3/directline/tokens/refresh`, { method: 'POST', headers: { ...headers(conversation.token), ...from(address) } }),
      fetch(`${server.url}/v3/directline/tokens/generate`, { method: 'POST', headers: from(address) }),
    ]);
    expect(refresh.status).toBe(429);
    expect(generate.status).toBe(429);

    // The same conversation from another address (the pupil's phone leaves the school wi-fi) works.
    expect((await poll(server.url, conversation, '198.51.100.3')).status).toBe(200);
  });

  it('new conversations are limited per address, shared between the chat page and tokens/generate', async () => {
    const address = '198.51.100.4';
    const page = () => fetch(`${server.url}/api/webchat/token`, { method: 'POST', headers: { 'content-type': 'application/json', ...from(address) }, body: '{}' });
    const generate = (who = address) => fetch(`${server.url}/v3/directline/tokens/generate`, { method: 'POST', headers: from(who) });
    expect((await page()).status).toBe(200);
    expect((await generate()).status).toBe(200);
    expect((await page()).status).toBe(200);
    await expectTooMany(await page(), 30);
    await expectTooMany(await generate(), 30);
    expect((await generate('198.51.100.5')).status).toBe(200);
  });
});

describe('rate limits: polling per conversation, and 0 switches a limit off', () => {
  let server: InProcessServer;
  beforeAll(async () => {
    server = await startInProcess({ RATE_LIMIT_ADDRESS_PER_MINUTE: '0', RATE_LIMIT_POLLS_PER_MINUTE: '20', RATE_LIMIT_MESSAGES_PER_MINUTE: '0' });
  });
  afterAll(() => server.close());

  it('polls are limited per conversation (10 in a window of 30 s); another conversation polls on', async () => {
    const address = '203.0.113.1';
    const a = await startConversation(server.url, address);
    const b = await startConversation(server.url, address);
    for (let n = 0; n < 10; n += 1) expect((await poll(server.url, a, address)).status).toBe(200);
    await expectTooMany(await poll(server.url, a, address), 30);
    expect((await poll(server.url, b, address)).status).toBe(200);
  });

  it('a WebSocket stream connection counts as a poll: over the limit the upgrade gets 429 with Retry-After', async () => {
    const address = '203.0.113.3';
    const conversation = await startConversation(server.url, address);
    for (let n = 0; n < 9; n += 1) expect((await poll(server.url, conversation, address)).status).toBe(200);
    const connect = () =>
      new Promise<{ status: number; retryAfter?: string }>((resolve, reject) => {
        const query = new URLSearchParams({ t: conversation.token, watermark: '' });
        const socket = new WebSocket(`${server.url.replace('http', 'ws')}/v3/directline/conversations/${conversation.conversationId}/stream?${query.toString()}`, { headers: from(address) });
        socket.on('unexpected-response', (_req, res) => resolve({ status: res.statusCode ?? 0, retryAfter: res.headers['retry-after'] }));
        socket.on('open', () => {
          socket.close();
          resolve({ status: 101 });
        });
        socket.on('error', reject);
      });
    expect(await connect()).toEqual({ status: 101 });
    const refused = await connect();
    expect(refused.status).toBe(429);
    expect(Number(refused.retryAfter)).toBeGreaterThanOrEqual(1);
    expect(Number(refused.retryAfter)).toBeLessThanOrEqual(30);
    expect((await poll(server.url, conversation, address)).status).toBe(429);
  });

  it('with the address and message limits at 0, one address sends 200 requests and 40 messages unhindered', async () => {
    const address = '203.0.113.2';
    const conversation = await startConversation(server.url, address);
    const statuses: number[] = [];
    for (let n = 0; n < 40; n += 1) statuses.push((await send(server.url, conversation, address, `zzqx ${n}`)).status);
    for (let n = 0; n < 160; n += 1)
      statuses.push((await fetch(`${server.url}/v3/directline/conversations/${conversation.conversationId}`, { headers: { ...headers(conversation.token), ...from(address) } })).status);
    expect(statuses.filter((status) => status !== 200)).toEqual([]);
  });
});
