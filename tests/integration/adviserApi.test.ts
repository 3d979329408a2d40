import { DirectLineTestClient, type DLActivity } from '../support/directLineClient';
import { content } from '../support/contentText';
import { startInProcess, type InProcessServer } from '../support/inProcessServer';
import { AdviserClient as Adviser, ADVISER_PASSWORD as PASSWORD } from '../support/adviserClient';

interface ConversationView {
  conversationId: string;
  priority: string;
  flags: string[];
  status: string;
  transcript: { from: string; text: string }[];
  notes: { text: string }[];
}
interface ErrorBody {
  error: { message: string };
  claimedBy?: string;
}
const view = async (response: Response) => (await response.json()) as ConversationView;
const errorOf = async (response: Response) => (await response.json()) as ErrorBody;

describe('adviser API', () => {
  let server: InProcessServer;
  let sam: Adviser;
  let alex: Adviser;

  beforeAll(async () => {
    server = await startInProcess({ ADVISER_USERNAME: 'sam', ADVISER_PASSWORD: PASSWORD });
    const { AdviserAccounts } = await import('../../adapters/adviser/accounts');
    await new AdviserAccounts(server.runtime.stores.keyValue).upsert('alex', PASSWORD);
    sam = new Adviser(server.url);
    alex = new Adviser(server.url);
    expect((await sam.login('sam')).status).toBe(200);
    expect((await alex.login('alex')).status).toBe(200);
  }, 30_000);
  afterAll(() => server.close());

  /** A pupil on web chat who asked for an adviser and said yes. */
  const waitingPupil = async () => {
    const pupil = await DirectLineTestClient.start(server.url);
    await pupil.send('can I speak to an actual person');
    await pupil.send('yes');
    await pupil.poll();
    return pupil;
  };

  it('logs in with an HttpOnly SameSite=Strict cookie and a CSRF token; wrong credentials get 401 with no hint', async () => {
    const fresh = new Adviser(server.url);
    const ok = await fresh.login('sam');
    expect(ok.headers.get('set-cookie')).toMatch(/adviser_session=[^;]+;.*HttpOnly/i);
    expect(ok.headers.get('set-cookie')).toMatch(/SameSite=Strict/i);
    expect(await ok.json()).toEqual({ csrfToken: expect.any(String), username: 'sam' });
    const badPassword = await new Adviser(server.url).login('sam', 'wrong-password-123');
    const badUser = await new Adviser(server.url).login('nobody', PASSWORD);
    expect([badPassword.status, badUser.status]).toEqual([401, 401]);
    expect((await errorOf(badPassword)).error.message).toBe((await errorOf(badUser)).error.message);
  });

  it('gives a new session id at every login', async () => {
    const one = new Adviser(server.url);
    await one.login('sam');
    const first = one.cookie;
    await one.login('sam');
    expect(one.cookie).not.toBe(first);
  });

  it('refuses every route without a session (401) and state changes without the CSRF token (403)', async () => {
    const stranger = new Adviser(server.url);
    for (const path of ['/queue', '/session', '/conversations/abc']) expect((await stranger.get(path)).status).toBe(401);
    for (const path of ['/conversations/abc/claim', '/conversations/abc/messages', '/conversations/abc/close', '/conversations/abc/notes', '/logout']) {
      expect((await stranger.post(path, { text: 'x' })).status).toBe(401);
      expect((await sam.post(path, { text: 'x' }, 'wrong-token')).status).toBe(403);
    }
  });

  it('lists the queue, urgent first', async () => {
    const standard = await waitingPupil();
    const urgent = await DirectLineTestClient.start(server.url);
    await urgent.send('i want to kill myself');
    const { items } = (await (await sam.get('/queue')).json()) as { items: { conversationId: string; priority: string }[] };
    const ours = items.filter((item) => [standard.conversationId, urgent.conversationId].includes(item.conversationId));
    expect(ours.map((item) => item.priority)).toEqual(['urgent', 'standard']);
    expect(items[0].priority).toBe('urgent');
  });

  it('shows a conversation with its transcript; claim is atomic and a second adviser gets 409 naming who has it', async () => {
    const pupil = await waitingPupil();
    const shown = await view(await sam.get(`/conversations/${pupil.conversationId}`));
    expect(shown).toMatchObject({ conversationId: pupil.conversationId, priority: 'standard', flags: ['asked-for-adviser'], status: 'waiting' });
    expect(shown.transcript.map((entry) => entry.from)).toContain('pupil');
    const [a, b] = await Promise.all([sam.post(`/conversations/${pupil.conversationId}/claim`), alex.post(`/conversations/${pupil.conversationId}/claim`)]);
    const statuses = [a.status, b.status].sort();
    expect(statuses).toEqual([200, 409]);
    const loser = a.status === 409 ? a : b;
    const winner = a.status === 200 ? 'sam' : 'alex';
    expect((await errorOf(loser)).claimedBy).toBe(winner);
    expect((await sam.get('/conversations/unknownconv')).status).toBe(404);
  });

  it('relays both ways: adviser messages reach the pupil on web chat; pupil replies reach the transcript, not the bot', async () => {
    const pupil = await waitingPupil();
    expect((await sam.post(`/conversations/${pupil.conversationId}/claim`)).status).toBe(200);
    expect((await alex.post(`/conversations/${pupil.conversationId}/messages`, { text: 'not mine' })).status).toBe(409);
    expect((await sam.post(`/conversations/${pupil.conversationId}/messages`, { text: "Hi, I'm Sam" })).status).toBe(200);
    const seen = await pupil.waitForBot((activity: DLActivity) => activity.text === "Hi, I'm Sam");
    expect(seen.from).toMatchObject({ name: 'Careers adviser' });
    expect(pupil.seen.map((activity) => activity.text)).toContain(content.answer('handoff.adviser-joined').text);
    const before = pupil.seen.length;
    await pupil.send('thanks, I want to be a vet');
    await pupil.poll();
    expect(pupil.seen.slice(before).filter((activity) => activity.from?.role === 'bot')).toEqual([]);
    const shown = await view(await sam.get(`/conversations/${pupil.conversationId}`));
    expect(shown.transcript.slice(-2).map((entry) => [entry.from, entry.text])).toEqual([
      ['adviser', "Hi, I'm Sam"],
      ['pupil', 'thanks, I want to be a vet'],
    ]);
  });

  it('still detects a crisis while an adviser is connected', async () => {
    const pupil = await waitingPupil();
    await sam.post(`/conversations/${pupil.conversationId}/claim`);
    await pupil.send('honestly i just want to end my life');
    const reply = await pupil.waitForBot((activity) => activity.text === content.answer('crisis.reply').text);
    expect(reply).toBeDefined();
    const item = await server.runtime.stores.queue.get(pupil.conversationId);
    expect(item).toMatchObject({ priority: 'urgent', status: 'claimed', claimedBy: 'sam' });
  });

  it('keeps private notes, closes with an outcome, tells the pupil and hands them back to the bot', async () => {
    const pupil = await waitingPupil();
    await sam.post(`/conversations/${pupil.conversationId}/claim`);
    expect((await sam.post(`/conversations/${pupil.conversationId}/notes`, { text: 'follow up next week' })).status).toBe(200);
    expect((await sam.post(`/conversations/${pupil.conversationId}/close`, { outcome: 'maybe' })).status).toBe(400);
    expect((await alex.post(`/conversations/${pupil.conversationId}/close`, { outcome: 'resolved' })).status).toBe(409);
    expect((await sam.post(`/conversations/${pupil.conversationId}/close`, { outcome: 'resolved', note: 'done' })).status).toBe(200);
    await pupil.waitForBot((activity) => activity.text === content.answer('handoff.adviser-left').text);
    const shown = await view(await sam.get(`/conversations/${pupil.conversationId}`));
    expect(shown.status).toBe('closed');
    expect(shown.notes.map((note) => note.text)).toEqual(['follow up next week', 'done']);
    expect(pupil.seen.map((activity) => activity.text)).not.toContain('follow up next week');
    await pupil.send('Apprenticeships');
    await pupil.waitForBot((activity) => activity.text === content.answer('apprenticeships.overview').text);
  });

  it('throttles logins per account even from many addresses', async () => {
    for (let attempt = 0; attempt < 5; attempt += 1) await new Adviser(server.url).login('alex', 'wrong-password-xyz');
    const blocked = await new Adviser(server.url).login('alex');
    expect(blocked.status).toBe(429);
    expect(blocked.headers.get('retry-after')).toBe('900');
  });

  it('logs out', async () => {
    const one = new Adviser(server.url);
    await one.login('sam');
    expect((await one.post('/logout')).status).toBe(204);
    expect((await one.get('/queue')).status).toBe(401);
  });
});
