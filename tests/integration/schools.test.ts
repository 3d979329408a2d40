import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { AdviserAccounts } from '../../adapters/adviser/accounts';
import { AdviserClient } from '../support/adviserClient';
import { content } from '../support/contentText';
import { DirectLineTestClient } from '../support/directLineClient';
import { startInProcess, type InProcessServer } from '../support/inProcessServer';
import { startRedisServer, type RedisServer } from '../support/redisServer';
import { StandInConnector } from '../teams/support/standInConnector';

const SCHOOLS_FILE = path.resolve(__dirname, '..', 'fixtures', 'schools', 'two-schools.json');
const NORTH = 'north-high';
const SOUTH = 'south-academy';
const NORTH_TENANT = '11111111-aaaa-4aaa-8aaa-111111111111';
/** Tuesday 24 November 2026, 10:00 in London: North's advisers (term-time 9 to 4) are in; South's work Mondays 1 to 3pm only. */
const TUESDAY_10AM = '2026-11-24T10:00:00Z';

interface QueueBody {
  items: { conversationId: string; school: string }[];
}

describe('many schools in one deployment (on real Redis)', () => {
  let redis: RedisServer;
  let server: InProcessServer;
  let nina: AdviserClient; // North only
  let sol: AdviserClient; // South only
  let ada: AdviserClient; // every school (the env account, ADVISER_SCHOOLS default *)

  /** A pupil of `school` on web chat who asked for an adviser and said yes. */
  const waitingPupil = async (school: string) => {
    const pupil = await DirectLineTestClient.start(server.url, school);
    await pupil.send('can I speak to an actual person');
    await pupil.send('yes');
    await pupil.poll();
    return pupil;
  };

  beforeAll(async () => {
    redis = await startRedisServer();
    server = await startInProcess({
      REDIS_URL: redis.url,
      REDIS_KEY_PREFIX: `schools-${randomBytes(3).toString('hex')}:`,
      SCHOOLS_FILE,
      BOT_CLOCK: TUESDAY_10AM,
      NODE_ENV: 'development',
      ADVISER_USERNAME: 'ada',
      ADVISER_PASSWORD: 'a-long-test-password-1',
    });
    const accounts = new AdviserAccounts(server.runtime.stores.keyValue);
    await accounts.upsert('nina', 'a-long-test-password-1', [NORTH]);
    await accounts.upsert('sol', 'a-long-test-password-1', [SOUTH]);
    [nina, sol, ada] = [new AdviserClient(server.url), new AdviserClient(server.url), new AdviserClient(server.url)];
    for (const [client, name] of [
      [nina, 'nina'],
      [sol, 'sol'],
      [ada, 'ada'],
    ] as const)
      expect((await client.login(name)).status).toBe(200);
  }, 30_000);
  afterAll(async () => {
    await server?.close();
    await redis?.destroy();
  });

  describe('the pupil chat page', () => {
    it('serves the chat at /s/<school-id> and a 404 page for an unknown school', async () => {
      const north = await fetch(`${server.url}/s/${NORTH}`);
      expect(north.status).toBe(200);
      expect(await north.text()).toMatch(/\/assets\/page\.[A-Za-z0-9_-]{16}\.js/);
      const unknown = await fetch(`${server.url}/s/nowhere-school`);
      expect(unknown.status).toBe(404);
      expect(await unknown.text()).toContain('School not found');
    });

    it('lists the schools at / when there is no default school, with names escaped', async () => {
      const root = await fetch(`${server.url}/`);
      expect(root.status).toBe(200);
      const html = await root.text();
      expect(html).toContain(`href="/s/${NORTH}"`);
      expect(html).toContain('South Academy &#60;&#38; Sixth Form&#62;');
      expect(html).not.toContain('<& Sixth');
    });

    it('binds the token to a known school; an unknown school or none (with no default) gets 404', async () => {
      const post = (body: unknown) => fetch(`${server.url}/api/webchat/token`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
      const ok = await post({ school: NORTH });
      expect(ok.status).toBe(200);
      const issued = (await ok.json()) as { conversationId: string; school: { id: string; name: string } };
      expect(issued.school).toEqual({ id: NORTH, name: 'North High School' });
      expect((await server.runtime.stores.conversations.getMeta(issued.conversationId))?.school).toBe(NORTH);
      expect((await post({ school: 'nowhere-school' })).status).toBe(404);
      expect((await post({})).status).toBe(404);
    });
  });

  describe('the queue and transcripts', () => {
    it('puts each hand-off in its own school: QueueItem.school', async () => {
      const north = await waitingPupil(NORTH);
      const south = await waitingPupil(SOUTH);
      expect((await server.runtime.stores.queue.get(north.conversationId))?.school).toBe(NORTH);
      expect((await server.runtime.stores.queue.get(south.conversationId))?.school).toBe(SOUTH);
    });

    it('keeps a pupil in the school they started in, whatever the activity claims', async () => {
      const pupil = await DirectLineTestClient.start(server.url, NORTH);
      await fetch(`${server.url}/v3/directline/conversations/${pupil.conversationId}/activities`, {
        method: 'POST',
        headers: { authorization: `Bearer ${pupil.token}`, 'content-type': 'application/json' },
        body: JSON.stringify({ type: 'message', text: 'I need an adviser', from: { id: 'pupil' }, channelData: { school: SOUTH, tenant: { id: '22222222-bbbb-4bbb-8bbb-222222222222' } } }),
      });
      await pupil.send('yes');
      expect((await server.runtime.stores.queue.get(pupil.conversationId))?.school).toBe(NORTH);
    });

    it("shows each adviser only their schools' queue; an all-schools adviser sees both", async () => {
      const north = await waitingPupil(NORTH);
      const south = await waitingPupil(SOUTH);
      const schoolsIn = async (client: AdviserClient) => {
        const { items } = (await (await client.get('/queue')).json()) as QueueBody;
        return { ids: items.map((item) => item.conversationId), schools: [...new Set(items.map((item) => item.school))].sort() };
      };
      const ninas = await schoolsIn(nina);
      const sols = await schoolsIn(sol);
      const adas = await schoolsIn(ada);
      expect(ninas.schools).toEqual([NORTH]);
      expect(ninas.ids).toContain(north.conversationId);
      expect(ninas.ids).not.toContain(south.conversationId);
      expect(sols.schools).toEqual([SOUTH]);
      expect(sols.ids).toContain(south.conversationId);
      expect(adas.schools).toEqual([NORTH, SOUTH]);
    });

    it("refuses (403) another school's conversation: transcript, claim, messages, notes and close", async () => {
      const south = await waitingPupil(SOUTH);
      const id = south.conversationId;
      const refused = await nina.get(`/conversations/${id}`);
      expect(refused.status).toBe(403);
      expect(JSON.stringify(await refused.json())).not.toContain('actual person');
      expect((await nina.post(`/conversations/${id}/claim`)).status).toBe(403);
      expect((await nina.post(`/conversations/${id}/messages`, { text: 'hello from North' })).status).toBe(403);
      expect((await nina.post(`/conversations/${id}/notes`, { text: 'note' })).status).toBe(403);
      expect((await nina.post(`/conversations/${id}/close`, { outcome: 'resolved' })).status).toBe(403);
      expect((await server.runtime.stores.queue.get(id))?.status).toBe('waiting');
      expect(south.seen.map((activity) => activity.text)).not.toContain('hello from North');

      // South's own adviser can do all of it, and then North still cannot read the closed record.
      const shown = (await (await sol.get(`/conversations/${id}`)).json()) as { transcript: { from: string; text: string }[] };
      expect(shown.transcript.map((entry) => entry.text)).toContain('can I speak to an actual person');
      expect((await sol.post(`/conversations/${id}/claim`)).status).toBe(200);
      expect((await sol.post(`/conversations/${id}/messages`, { text: 'Hi, Sol here' })).status).toBe(200);
      expect((await sol.post(`/conversations/${id}/close`, { outcome: 'resolved' })).status).toBe(200);
      expect((await nina.get(`/conversations/${id}`)).status).toBe(403);
      expect((await ada.get(`/conversations/${id}`)).status).toBe(200);
    });

    it('tells the console which schools an adviser works for', async () => {
      const session = (await (await nina.get('/session')).json()) as { schools: { id: string }[] };
      expect(session.schools.map((school) => school.id)).toEqual([NORTH]);
      const all = (await (await ada.get('/session')).json()) as { schools: { id: string }[] };
      expect(all.schools.map((school) => school.id)).toEqual([NORTH, SOUTH]);
    });
  });

  describe('insights and their CSV', () => {
    it("refuses (403) another school's insights, CSV and charts; an all-schools adviser gets each school's own", async () => {
      for (const [client, other] of [
        [nina, SOUTH],
        [sol, NORTH],
      ] as const) {
        expect((await client.get(`/insights?school=${other}`)).status).toBe(403);
        expect((await client.get(`/insights.csv?school=${other}`)).status).toBe(403);
        expect((await client.get(`/insights/chart.svg?school=${other}&chart=topics`)).status).toBe(403);
      }
      expect((await nina.get('/insights?school=nowhere-school')).status).toBe(404);
      expect((await new AdviserClient(server.url).get(`/insights?school=${NORTH}`)).status).toBe(401);

      const northCsv = await (await ada.get(`/insights.csv?school=${NORTH}&weeks=1`)).text();
      const southCsv = await (await sol.get(`/insights.csv?school=${SOUTH}&weeks=1`)).text();
      const rows = (csv: string) => csv.trim().split('\r\n').slice(1);
      expect(rows(northCsv).length).toBeGreaterThan(10);
      expect(rows(northCsv).every((row) => row.startsWith(`${NORTH},`))).toBe(true);
      expect(rows(southCsv).every((row) => row.startsWith(`${SOUTH},`))).toBe(true);
    });

    it("counts each school's conversations in its own figures", async () => {
      type Report = { weeks: { figures: { id: string; value: number | string | null }[] }[] };
      const conversations = async (client: AdviserClient, school: string) => {
        const report = (await (await client.get(`/insights?school=${school}&weeks=1`)).json()) as Report;
        return report.weeks[0].figures.find((figure) => figure.id === 'conversations')?.value;
      };
      const before = { north: await conversations(nina, NORTH), south: await conversations(sol, SOUTH) };
      // Five more South pupils: South's count rises, North's does not.
      for (let index = 0; index < 5; index += 1) await DirectLineTestClient.start(server.url, SOUTH);
      await new Promise((resolve) => setTimeout(resolve, 200));
      expect(await conversations(nina, NORTH)).toBe(before.north);
      const after = await conversations(sol, SOUTH);
      expect(typeof after).toBe('number');
      expect(after).not.toBe(before.south);
    });
  });

  describe("each school's calendar", () => {
    it("uses the pupil's school's adviser hours: North is in now, South is back on Monday at 1pm", async () => {
      const ask = async (school: string) => {
        const pupil = await DirectLineTestClient.start(server.url, school);
        await pupil.poll();
        await pupil.send('I need an adviser');
        await pupil.send('yes');
        return (await pupil.poll()).map((activity) => activity.text ?? '').join('\n');
      };
      const north = await ask(NORTH);
      const south = await ask(SOUTH);
      expect(north).toContain(content.answer('handoff.queued').text);
      expect(south).toContain('They are back on Monday 30 November from 1pm');
    });
  });

  describe('Microsoft Teams', () => {
    let connector: StandInConnector;
    beforeAll(async () => {
      connector = await new StandInConnector().start();
    });
    afterAll(() => connector.close());

    const say = (conversationId: string, tenantId: string, text: string) =>
      fetch(`${server.url}/api/messages`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          type: 'message',
          id: `act-${randomBytes(4).toString('hex')}`,
          channelId: 'msteams',
          serviceUrl: connector.url,
          text,
          from: { id: 'teams-user-1', name: 'Pupil' },
          recipient: { id: 'bot-1', name: 'Careers bot' },
          conversation: { id: conversationId, tenantId },
          channelData: { tenant: { id: tenantId } },
        }),
      });

    it('puts a Teams pupil in the school of their tenant', async () => {
      const conversationId = `teams-${randomBytes(4).toString('hex')}`;
      expect((await say(conversationId, NORTH_TENANT.toUpperCase(), 'I need an adviser')).status).toBe(200);
      expect((await say(conversationId, NORTH_TENANT.toUpperCase(), 'yes')).status).toBe(200);
      expect((await server.runtime.stores.queue.get(conversationId))?.school).toBe(NORTH);
    });

    it('answers a pupil of an unknown tenant (and no default school) politely, and still answers a crisis', async () => {
      const conversationId = `teams-${randomBytes(4).toString('hex')}`;
      await say(conversationId, '99999999-cccc-4ccc-8ccc-999999999999', 'apprenticeships');
      expect(connector.texts).toContain(content.answer('school.unknown').text);
      await say(conversationId, '99999999-cccc-4ccc-8ccc-999999999999', 'i want to kill myself');
      expect(connector.texts).toContain(content.answer('crisis.reply').text);
      const item = await server.runtime.stores.queue.get(conversationId);
      expect(item).toMatchObject({ priority: 'urgent', school: '(none)' });
      const { items } = (await (await ada.get('/queue')).json()) as QueueBody;
      expect(items.map((queued) => queued.conversationId)).toContain(conversationId);
      // Safeguarding first: a crisis of no known school is every adviser's.
      const ninas = (await (await nina.get('/queue')).json()) as QueueBody;
      expect(ninas.items.map((queued) => queued.conversationId)).toContain(conversationId);
    });
  });
});
