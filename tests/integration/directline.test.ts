import WebSocket from 'ws';
import { DirectLineTestClient, headers, type DLActivity } from '../support/directLineClient';
import { startInProcess, type InProcessServer } from '../support/inProcessServer';
import { isOverviewOf, overviewText } from '../support/contentText';

describe('Direct Line 3.0 channel (in-process stores)', () => {
  let server: InProcessServer;
  const secret = 'a-directline-secret-for-tests';

  beforeAll(async () => {
    server = await startInProcess({ DIRECTLINE_SECRET: secret });
  });
  afterAll(() => server.close());

  const post = (path: string, init: RequestInit = {}) => fetch(`${server.url}${path}`, { method: 'POST', ...init });

  it('welcomes a new pupil: says it is a bot, what it keeps and for how long, crisis contacts, and the menu', async () => {
    const client = await DirectLineTestClient.start(server.url);
    const menu = await client.waitForBot((activity) => Boolean(activity.suggestedActions));
    const texts = client.seen.map((activity) => activity.text ?? '').join('\n');
    expect(texts).toMatch(/not a person/);
    expect(texts).toMatch(/30 days/);
    expect(texts).toContain('0800 1111');
    expect(menu.suggestedActions?.actions.map((action) => action.title)).toEqual(['GCSE options', 'After 16', 'Apprenticeships', 'University', 'Getting a job']);
  });

  it('echoes the pupil message with an id and the same clientActivityID, then answers', async () => {
    const client = await DirectLineTestClient.start(server.url);
    await client.waitForBot((activity) => Boolean(activity.suggestedActions));
    const sent = await client.send('Apprenticeships', 'web-chat-123');
    expect(sent.status).toBe(200);
    const reply = await client.waitForBot(isOverviewOf('apprenticeships'));
    const echo = client.seen.find((activity) => activity.channelData?.clientActivityID === 'web-chat-123');
    expect(echo).toMatchObject({ id: sent.id, type: 'message', text: 'Apprenticeships', from: { role: 'user' } });
    expect(reply.replyToId).toBe(sent.id);
    // one pupil id for the conversation, on the pupil's message and as the recipient of the replies
    expect(echo?.from?.id).toMatch(/^dl_[A-Za-z0-9_-]{16}$/);
    expect(reply.recipient?.id).toBe(echo?.from?.id);
  });

  it('keeps conversations apart: the token of A cannot read or write B', async () => {
    const a = await DirectLineTestClient.start(server.url);
    const b = await DirectLineTestClient.start(server.url);
    const read = await fetch(`${server.url}/v3/directline/conversations/${b.conversationId}/activities`, { headers: headers(a.token) });
    expect(read.status).toBe(403);
    const write = await post(`/v3/directline/conversations/${b.conversationId}/activities`, {
      headers: { ...headers(a.token), 'content-type': 'application/json' },
      body: JSON.stringify({ type: 'message', text: 'hello' }),
    });
    expect(write.status).toBe(403);
    await b.poll();
    expect(b.seen.some((activity) => activity.from?.role === 'user')).toBe(false);
  });

  it('pages by watermark: each poll returns only what is new', async () => {
    const client = await DirectLineTestClient.start(server.url);
    const first = await client.poll();
    expect(first.length).toBeGreaterThan(0);
    expect(Number(client.watermark)).toBe(first.length);
    expect(await client.poll()).toEqual([]);
    await client.send('menu');
    const next = await client.poll();
    expect(next.map((activity) => activity.from?.role)).toEqual(['user', 'bot']);
    expect(Number(client.watermark)).toBe(first.length + 2);
    const all = await fetch(`${server.url}/v3/directline/conversations/${client.conversationId}/activities?watermark=0`, { headers: headers(client.token) });
    const body = (await all.json()) as { activities: DLActivity[] };
    expect(body.activities).toHaveLength(first.length + 2);
    expect(body.activities.filter((activity) => activity.type !== 'message')).toEqual([]);
  });

  describe('bad input gets a 4xx with a reason and stores nothing', () => {
    let client: DirectLineTestClient;
    let before: number;
    beforeEach(async () => {
      client = await DirectLineTestClient.start(server.url);
      await client.poll();
      before = Number(client.watermark);
    });
    afterEach(async () => {
      await client.poll();
      expect(Number(client.watermark)).toBe(before);
    });
    const send = (body: string, contentType = 'application/json', token = client.token) =>
      post(`/v3/directline/conversations/${client.conversationId}/activities`, { headers: { ...headers(token), 'content-type': contentType }, body });

    it.each([
      ['malformed JSON', '{"type": "message", "text": ', 400, /not valid JSON/],
      ['an array', '[1,2]', 400, /JSON activity object/],
      ['an unknown type', '{"type":"deleteEverything","text":"x"}', 400, /type must be message, event or typing/],
      ['a message without text', '{"type":"message"}', 400, /a message needs text/],
      ['text of the wrong type', '{"type":"message","text":42}', 400, /text/],
      ['attachments', '{"type":"message","text":"x","attachments":[{"contentType":"image/png"}]}', 400, /attachments are not accepted/],
      ['deeply nested value', `{"type":"event","name":"x","value":${'['.repeat(50)}${']'.repeat(50)}}`, 400, /nested/],
      ['a huge text', JSON.stringify({ type: 'message', text: 'x'.repeat(5000) }), 400, /text/],
    ])('%s', async (_name, body, status, reason) => {
      const response = await send(body);
      expect(response.status).toBe(status);
      expect(((await response.json()) as { error: { message: string } }).error.message).toMatch(reason);
    });

    it('a body over 64 KB → 413', async () => {
      const response = await send(JSON.stringify({ type: 'message', text: 'x', value: 'y'.repeat(70 * 1024) }));
      expect(response.status).toBe(413);
    });

    it('a wrong content type → 415', async () => {
      const response = await send('type=message&text=hi', 'application/x-www-form-urlencoded');
      expect(response.status).toBe(415);
    });

    it('a tampered token → 403', async () => {
      const [head, payload, signature] = client.token.split('.');
      const response = await send('{"type":"message","text":"hi"}', 'application/json', `${head}.${payload}x.${signature}`);
      expect(response.status).toBe(403);
    });

    it('no token → 401', async () => {
      const response = await post(`/v3/directline/conversations/${client.conversationId}/activities`, {
        headers: { 'content-type': 'application/json' },
        body: '{"type":"message","text":"hi"}',
      });
      expect(response.status).toBe(401);
    });

    it('a bad watermark → 400', async () => {
      const response = await fetch(`${server.url}/v3/directline/conversations/${client.conversationId}/activities?watermark=-1`, { headers: headers(client.token) });
      expect(response.status).toBe(400);
    });
  });

  it('refuses an unknown conversation id with 403 (not its token) and a removed one with 404', async () => {
    const client = await DirectLineTestClient.start(server.url);
    const other = await fetch(`${server.url}/v3/directline/conversations/unknownConversation1/activities`, { headers: headers(client.token) });
    expect(other.status).toBe(403);
    await server.runtime.stores.conversations.remove(client.conversationId);
    const gone = await fetch(`${server.url}/v3/directline/conversations/${client.conversationId}/activities`, { headers: headers(client.token) });
    expect(gone.status).toBe(404);
  });

  it('tokens/generate needs the secret when DIRECTLINE_SECRET is set', async () => {
    expect((await post('/v3/directline/tokens/generate')).status).toBe(401);
    const ok = await post('/v3/directline/tokens/generate', { headers: { authorization: `Bearer ${secret}` } });
    expect(ok.status).toBe(200);
    expect(await ok.json()).toEqual({ conversationId: expect.any(String), token: expect.any(String), expires_in: 1800 });
  });

  it('tokens/refresh gives a fresh token for the same conversation', async () => {
    const client = await DirectLineTestClient.start(server.url);
    const response = await post('/v3/directline/tokens/refresh', { headers: headers(client.token) });
    expect(response.status).toBe(200);
    const body = (await response.json()) as { conversationId: string; token: string };
    expect(body.conversationId).toBe(client.conversationId);
    const read = await fetch(`${server.url}/v3/directline/conversations/${client.conversationId}/activities`, { headers: headers(body.token) });
    expect(read.status).toBe(200);
  });

  it('streams activities over the WebSocket from the watermark, then live', async () => {
    const client = await DirectLineTestClient.start(server.url);
    expect(client.streamUrl).toMatch(/^ws:\/\//);
    const batches: { activities: DLActivity[]; watermark: string }[] = [];
    const socket = new WebSocket(client.streamUrl ?? '');
    socket.on('message', (data) => batches.push(JSON.parse(data.toString())));
    await new Promise((resolve, reject) => {
      socket.once('open', resolve);
      socket.once('error', reject);
    });
    const waitFor = async (predicate: () => boolean) => {
      const deadline = Date.now() + 5000;
      while (!predicate()) {
        if (Date.now() > deadline) throw new Error(`stream: ${JSON.stringify(batches)}`);
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
    };
    const streamed = () => batches.flatMap((batch) => batch.activities);
    await waitFor(() => streamed().some((activity) => Boolean(activity.suggestedActions)));
    await client.send('University', 'stream-1');
    await waitFor(() => streamed().some(isOverviewOf('higher-education')));
    const texts = streamed().map((activity) => activity.text);
    expect(texts.indexOf('University')).toBeLessThan(texts.indexOf(overviewText('higher-education')));
    expect(Number(batches[batches.length - 1].watermark)).toBe(streamed().length);
    socket.close();
  });

  it('refuses a stream for another conversation', async () => {
    const a = await DirectLineTestClient.start(server.url);
    const b = await DirectLineTestClient.start(server.url);
    const url = (a.streamUrl ?? '').replace(a.conversationId, b.conversationId);
    const status = await new Promise<number>((resolve) => {
      const socket = new WebSocket(url);
      socket.on('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0));
      socket.on('open', () => resolve(101));
    });
    expect(status).toBe(403);
  });

  it('answers /healthz and /readyz', async () => {
    expect(await (await fetch(`${server.url}/healthz`)).json()).toEqual({ status: 'ok', storage: 'memory' });
    const ready = await fetch(`${server.url}/readyz`);
    expect(ready.status).toBe(200);
  });
});
