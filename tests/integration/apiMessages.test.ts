import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import { startInProcess, type InProcessServer } from '../support/inProcessServer';
import { overviewText } from '../support/contentText';

interface Recorded {
  path: string;
  body: {
    type?: string;
    name?: string;
    text?: string;
    suggestedActions?: unknown;
    value?: { flags?: string[] };
    attachments?: { contentType?: string; content?: { activities?: { text?: string }[] } }[];
  };
}

/** A stand-in Bot Connector service that records the replies the SDK sends to the serviceUrl. */
async function startConnector(): Promise<{ url: string; calls: Recorded[]; close(): Promise<void> }> {
  const calls: Recorded[] = [];
  const app = express();
  app.use(express.json());
  app.post('/v3/conversations/:conversation/activities/:activity', (req, res) => {
    calls.push({ path: req.path, body: req.body });
    res.status(200).json({ id: `reply-${calls.length}` });
  });
  const server: Server = createServer(app);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    calls,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

const activity = (serviceUrl: string, text: string, channelId = 'msteams', conversationId = 'teams-conv-1') => ({
  type: 'message',
  id: `act-${Math.random().toString(36).slice(2)}`,
  channelId,
  serviceUrl,
  text,
  from: { id: 'teams-user-1', name: 'Pupil' },
  recipient: { id: 'bot-1', name: 'Careers bot' },
  conversation: { id: conversationId },
});

const post = (url: string, body: unknown, headers: Record<string, string> = {}) =>
  fetch(`${url}/api/messages`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: typeof body === 'string' ? body : JSON.stringify(body) });

describe('POST /api/messages (CloudAdapter)', () => {
  let connector: Awaited<ReturnType<typeof startConnector>>;
  beforeAll(async () => {
    connector = await startConnector();
  });
  afterAll(() => connector.close());

  describe('in development with no MicrosoftAppId', () => {
    let server: InProcessServer;
    beforeAll(async () => {
      server = await startInProcess({ NODE_ENV: 'development' });
    });
    afterAll(() => server.close());

    it('runs the bot and sends its reply to the channel service', async () => {
      const response = await post(server.url, activity(connector.url, 'apprenticeships'));
      expect(response.status).toBe(200);
      const texts = connector.calls.map((call) => call.body.text ?? '');
      expect(texts).toContain(overviewText('apprenticeships'));
      expect(connector.calls[0].path).toMatch(/^\/v3\/conversations\/teams-conv-1\/activities\//);
    });

    it('announces a hand-off with the handoff.initiate event and its transcript where an agent hub can listen, and not in Teams', async () => {
      const handoffEvents = () => connector.calls.filter((call) => call.body.type === 'event' && call.body.name === 'handoff.initiate');
      const emulator = `emulator-conv-${Math.random().toString(36).slice(2)}`;
      await post(server.url, activity(connector.url, 'I have special educational needs', 'emulator', emulator));
      expect(handoffEvents()).toEqual([]);
      await post(server.url, activity(connector.url, 'yes', 'emulator', emulator));
      const [event] = handoffEvents();
      expect(event?.path).toContain(`/v3/conversations/${emulator}/activities/`);
      expect(event?.body.value?.flags).toEqual(['send']);
      const transcript = event?.body.attachments?.[0]?.content?.activities?.map((line) => line.text) ?? [];
      expect(transcript).toContain('I have special educational needs');

      const before = handoffEvents().length;
      const teams = `teams-conv-${Math.random().toString(36).slice(2)}`;
      await post(server.url, activity(connector.url, 'I have special educational needs', 'msteams', teams));
      await post(server.url, activity(connector.url, 'yes', 'msteams', teams));
      expect(await server.runtime.stores.queue.get(teams)).toMatchObject({ flags: ['send'] });
      expect(handoffEvents()).toHaveLength(before);
    });

    it('refuses malformed JSON with 400', async () => {
      expect((await post(server.url, '{"type":')).status).toBe(400);
    });
  });

  describe('in production with no MicrosoftAppId', () => {
    let server: InProcessServer;
    beforeAll(async () => {
      server = await startInProcess({ NODE_ENV: 'production' });
    });
    afterAll(() => server.close());

    it('is switched off (404) and calls no one', async () => {
      const before = connector.calls.length;
      expect((await post(server.url, activity(connector.url, 'hello'))).status).toBe(404);
      expect(connector.calls.length).toBe(before);
      expect(server.runtime.botFramework).toBe('off');
    });
  });

  describe('with MicrosoftAppId set', () => {
    let server: InProcessServer;
    beforeAll(async () => {
      server = await startInProcess({
        MicrosoftAppId: '00000000-0000-0000-0000-000000000001',
        MicrosoftAppPassword: 'not-a-real-secret',
        MicrosoftAppTenantId: '00000000-0000-0000-0000-0000000000aa',
      });
    });
    afterAll(() => server.close());

    it('refuses an activity without a channel token (401) and calls no one', async () => {
      const before = connector.calls.length;
      const response = await post(server.url, activity(connector.url, 'hello'));
      expect(response.status).toBe(401);
      expect(connector.calls.length).toBe(before);
    });

    it('refuses a made-up bearer token (401)', async () => {
      const response = await post(server.url, activity(connector.url, 'hello'), { authorization: 'Bearer not.a.jwt' });
      expect(response.status).toBe(401);
    });
  });
});
