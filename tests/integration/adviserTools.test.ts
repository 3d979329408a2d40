import path from 'node:path';
import { AdviserAccounts } from '../../adapters/adviser/accounts';
import type { ClosedResponse, ConversationView, PresenceResponse, QueueResponse, SavedRepliesResponse } from '../../adapters/adviser/shared/consoleApi';
import { AdviserTools, ADVISER_PASSWORD as PASSWORD } from '../support/adviserClient';
import { content } from '../support/contentText';
import { DirectLineTestClient } from '../support/directLineClient';
import { startInProcess, type InProcessServer } from '../support/inProcessServer';

const SCHOOLS_FILE = path.resolve(__dirname, '..', 'fixtures', 'schools', 'two-schools.json');
const NORTH = 'north-high';
/** Tuesday 24 November 2026, 10:00 in London: North's advisers (9 to 4) are in. */
const IN_HOURS = '2026-11-24T10:00:00Z';
const text = (id: string) => content.answer(id).text;

/**
 * The adviser API's tools through real HTTP on in-process stores: presence and what a pupil is
 * told, transfer and re-open, the queue's filters, saved replies and the event stream.
 */
describe('adviser tools through the API', () => {
  let server: InProcessServer;
  let sam: AdviserTools; // every school (the env account)
  let nina: AdviserTools; // North
  let sol: AdviserTools; // South

  beforeAll(async () => {
    server = await startInProcess({ ADVISER_USERNAME: 'sam', ADVISER_PASSWORD: PASSWORD, SCHOOLS_FILE, BOT_CLOCK: IN_HOURS });
    const accounts = new AdviserAccounts(server.runtime.stores.keyValue);
    await accounts.upsert('nina', PASSWORD, [NORTH]);
    await accounts.upsert('sol', PASSWORD, ['south-academy']);
    [sam, nina, sol] = [new AdviserTools(server.url), new AdviserTools(server.url), new AdviserTools(server.url)];
    for (const [client, name] of [
      [sam, 'sam'],
      [nina, 'nina'],
      [sol, 'sol'],
    ] as const)
      expect((await client.login(name)).status).toBe(200);
  }, 30_000);
  afterAll(() => server.close());

  /** A North pupil who asks for a person; resolves the pupil and what the bot offered. */
  const asks = async () => {
    const pupil = await DirectLineTestClient.start(server.url, NORTH);
    await pupil.poll();
    await pupil.send('can I speak to an actual person');
    const offer = await pupil.waitForBot((activity) => Boolean(activity.suggestedActions));
    return { pupil, offer: offer.text };
  };
  const queuedPupil = async () => {
    const { pupil } = await asks();
    await pupil.send(text('button.yes'));
    await pupil.waitForBot((activity) => [text('handoff.queued'), text('handoff.queued-online')].includes(activity.text ?? ''));
    return pupil;
  };
  const setPresence = async (client: AdviserTools, status: string) => expect((await client.send('PUT', '/presence', { status })).status).toBe(200);

  describe('presence', () => {
    afterEach(async () => {
      for (const client of [sam, nina, sol]) await setPresence(client, 'away');
    });

    it('needs the session and the CSRF token, and a known status', async () => {
      expect((await new AdviserTools(server.url).send('PUT', '/presence', { status: 'available' })).status).toBe(401);
      expect((await nina.send('PUT', '/presence', { status: 'available' }, 'wrong')).status).toBe(403);
      expect((await nina.send('PUT', '/presence', { status: 'online' })).status).toBe(400);
    });

    it("tells a pupil an adviser is online only while one of their school's is available", async () => {
      expect((await asks()).offer).toBe(text('triage.offer'));
      await setPresence(sol, 'available');
      expect((await asks()).offer).toBe(text('triage.offer')); // South's adviser, not North's
      await setPresence(nina, 'busy');
      expect((await asks()).offer).toBe(text('triage.offer'));
      await setPresence(nina, 'available');
      const { pupil, offer } = await asks();
      expect(offer).toBe(text('triage.offer-online'));
      await pupil.send(text('button.yes'));
      await pupil.waitForBot((activity) => activity.text === text('handoff.queued-online'));
      await setPresence(nina, 'away');
      expect((await asks()).offer).toBe(text('triage.offer'));
    });

    it('lists the advisers who share a school, and signing out makes one away', async () => {
      await setPresence(nina, 'available');
      await setPresence(sol, 'busy');
      const seen = async (client: AdviserTools) =>
        (await client.json<PresenceResponse>('/presence')).advisers.filter((adviser) => adviser.status !== 'away').map((adviser) => `${adviser.username}:${adviser.status}`);
      expect(await seen(sam)).toEqual(['nina:available', 'sol:busy']);
      expect(await seen(nina)).toEqual(['nina:available']);
      const other = new AdviserTools(server.url);
      await other.login('nina');
      expect((await other.post('/logout')).status).toBe(204);
      expect(await seen(sam)).toEqual(['sol:busy']);
    });
  });

  describe('transfer and re-open', () => {
    it('passes a conversation only from its holder (403 otherwise), to an adviser of its school or back to the queue', async () => {
      const pupil = await queuedPupil();
      const id = pupil.conversationId;
      expect((await sam.post(`/conversations/${id}/transfer`, { to: 'nina' })).status).toBe(403); // nobody holds it yet
      expect((await sam.post(`/conversations/${id}/claim`)).status).toBe(200);
      const notHolder = await nina.post(`/conversations/${id}/transfer`, { to: 'nina' });
      expect(notHolder.status).toBe(403);
      expect(((await notHolder.json()) as { claimedBy: string }).claimedBy).toBe('sam');
      expect((await sam.post(`/conversations/${id}/transfer`, { to: 'sol' })).status).toBe(400); // South only
      expect((await sam.post(`/conversations/${id}/transfer`, { to: 'nobody-here' })).status).toBe(400);
      expect((await sam.post(`/conversations/${id}/transfer`, { to: 'sam' })).status).toBe(400);
      expect((await sam.post(`/conversations/${id}/transfer`, { to: 'nina', note: '<script>x</script>' })).status).toBe(400);
      expect((await sam.post(`/conversations/${id}/transfer`, { to: 'nina' }, 'wrong')).status).toBe(403);

      const moved = await sam.post(`/conversations/${id}/transfer`, { to: 'nina', note: 'wants to talk about nursing' });
      expect(moved.status).toBe(200);
      await pupil.waitForBot((activity) => activity.text === text('handoff.adviser-changed'));
      expect((await sam.post(`/conversations/${id}/messages`, { text: 'still me?' })).status).toBe(409);
      expect((await nina.post(`/conversations/${id}/messages`, { text: 'Hi, I am Nina' })).status).toBe(200);
      const view = await nina.json<ConversationView>(`/conversations/${id}`);
      expect(view).toMatchObject({ status: 'claimed', claimedBy: 'nina' });
      expect(view.notes).toEqual([expect.objectContaining({ by: 'sam', text: 'wants to talk about nursing', transferredTo: 'nina' })]);

      expect((await nina.post(`/conversations/${id}/transfer`, { to: null })).status).toBe(200);
      await pupil.waitForBot((activity) => activity.text === text('handoff.back-in-queue'));
      const { items } = await sam.json<QueueResponse>('/queue');
      expect(items.find((item) => item.conversationId === id)).toMatchObject({ status: 'waiting' });
      expect((await sam.post('/conversations/notqueued/transfer', { to: null })).status).toBe(404);
    });

    it('re-opens a closed conversation within the retention period: claimed by the re-opener, the pupil told, and the bot quiet again', async () => {
      const pupil = await queuedPupil();
      const id = pupil.conversationId;
      expect((await nina.post(`/conversations/${id}/reopen`)).status).toBe(409); // still open
      await nina.post(`/conversations/${id}/claim`);
      expect((await nina.post(`/conversations/${id}/close`, { outcome: 'resolved' })).status).toBe(200);
      expect((await sam.json<ClosedResponse>('/closed')).items.map((item) => item.conversationId)).toContain(id);
      expect((await sol.json<ClosedResponse>('/closed')).items.map((item) => item.conversationId)).not.toContain(id);
      expect((await sol.post(`/conversations/${id}/reopen`)).status).toBe(403);

      // the pupil carries on with the bot meanwhile
      await pupil.send('Apprenticeships');
      await pupil.waitForBot((activity) => activity.text === content.answer('apprenticeships.overview').text);

      expect((await sam.post(`/conversations/${id}/reopen`)).status).toBe(200);
      await pupil.waitForBot((activity) => activity.text === text('handoff.adviser-rejoined'));
      expect((await nina.post(`/conversations/${id}/reopen`)).status).toBe(409);
      expect((await sam.json<ClosedResponse>('/closed')).items.map((item) => item.conversationId)).not.toContain(id);
      const before = pupil.seen.length;
      await pupil.send('thanks for coming back');
      await pupil.poll();
      expect(pupil.seen.slice(before).filter((activity) => activity.from?.role === 'bot')).toEqual([]);
      const view = await sam.json<ConversationView>(`/conversations/${id}`);
      expect(view).toMatchObject({ status: 'claimed', claimedBy: 'sam' });
      expect(view.transcript.at(-1)).toMatchObject({ from: 'pupil', text: 'thanks for coming back' });
      expect((await sam.post('/conversations/neverqueued/reopen')).status).toBe(404);
    });
  });

  describe('search and filters', () => {
    it('filters the queue by school, flag, status and waiting time, and searches its words', async () => {
      const standard = await queuedPupil();
      const crisis = await DirectLineTestClient.start(server.url, NORTH);
      await crisis.send('i want to kill myself');
      await crisis.poll();
      await sam.post(`/conversations/${standard.conversationId}/claim`);
      const ids = async (query: string) => (await sam.json<QueueResponse>(`/queue${query}`)).items.map((item) => item.conversationId);
      expect(await ids('?flag=crisis')).toContain(crisis.conversationId);
      expect(await ids('?flag=crisis')).not.toContain(standard.conversationId);
      expect(await ids('?status=mine')).toContain(standard.conversationId);
      expect(await ids('?status=mine')).not.toContain(crisis.conversationId);
      expect(await ids('?status=waiting')).toContain(crisis.conversationId);
      expect(await ids('?school=south-academy')).not.toContain(crisis.conversationId);
      expect(await ids('?q=safeguarding')).toContain(crisis.conversationId);
      expect(await ids('?minWait=60')).toEqual([]);
      expect((await sam.get('/queue?status=everything')).status).toBe(400);
    });
  });

  describe('saved replies', () => {
    it("lists the content's seeds with each school's placeholder values", async () => {
      const { replies, values } = await nina.json<SavedRepliesResponse>('/saved-replies');
      expect(replies.filter((reply) => reply.scope === 'content').map((reply) => [reply.name, reply.editable])).toEqual(
        expect.arrayContaining([
          ['bursary', false],
          ['resits', false],
          ['apprenticeship-search', false],
        ]),
      );
      expect(values).toEqual({ [NORTH]: { school: 'North High School', adviserHours: 'today until 4pm' } });
      expect(Object.keys((await sam.json<SavedRepliesResponse>('/saved-replies')).values).sort()).toEqual([NORTH, 'south-academy']);
    });

    it('keeps shared and per-school replies, validated as messages are, for the advisers of those schools', async () => {
      const created = await nina.post('/saved-replies', { scope: NORTH, name: 'open-evening', title: 'Open evening', text: 'Our open evening at {school} is on Thursday.' });
      expect(created.status).toBe(201);
      const { reply } = (await created.json()) as { reply: { id: string; scope: string } };
      expect((await nina.post('/saved-replies', { scope: NORTH, name: 'open-evening', title: 'Again', text: 'x' })).status).toBe(409);
      expect((await nina.post('/saved-replies', { scope: 'south-academy', name: 'x', title: 'X', text: 'x' })).status).toBe(403);
      expect((await nina.post('/saved-replies', { scope: 'content', name: 'x', title: 'X', text: 'x' })).status).toBe(403);
      for (const bad of [{ text: '<script>alert(1)</script>' }, { text: 'x'.repeat(2001) }, { text: 'Hi {pupilName}' }, { name: 'Has Spaces' }, { title: '<b>T</b>' }]) {
        expect([bad, (await nina.post('/saved-replies', { scope: 'shared', name: 'ok-name', title: 'T', text: 'fine', ...bad })).status]).toEqual([bad, 400]);
      }
      expect((await sol.post('/saved-replies', { scope: 'shared', name: 'welcome', title: 'Welcome', text: 'Hello, I am a careers adviser.' })).status).toBe(201);

      const northView = (await nina.json<SavedRepliesResponse>('/saved-replies')).replies.map((item) => `${item.scope}/${item.name}`);
      expect(northView).toEqual(expect.arrayContaining([`${NORTH}/open-evening`, 'shared/welcome']));
      expect((await sol.json<SavedRepliesResponse>('/saved-replies')).replies.map((item) => item.name)).not.toContain('open-evening');

      expect((await sol.send('PUT', `/saved-replies/${NORTH}/${reply.id}`, { name: 'open-evening', title: 'T', text: 'x' })).status).toBe(403);
      expect((await nina.send('PUT', `/saved-replies/${NORTH}/${reply.id}`, { name: 'open-evening', title: 'Open evening', text: 'Changed for {school}.' })).status).toBe(200);
      expect((await nina.send('DELETE', `/saved-replies/${NORTH}/${reply.id}`, undefined, 'wrong')).status).toBe(403);
      expect((await nina.send('DELETE', `/saved-replies/${NORTH}/${reply.id}`)).status).toBe(204);
      expect((await nina.send('DELETE', `/saved-replies/${NORTH}/${reply.id}`)).status).toBe(404);
    });
  });

  describe('the event stream', () => {
    it('needs the session, sends the queue at once and again when it changes, and a watched conversation when it changes', async () => {
      expect((await new AdviserTools(server.url).events()).status).toBe(401);
      const stream = await nina.events();
      expect(stream.status).toBe(200);
      await stream.next((name) => name === 'queue');
      await stream.next((name) => name === 'presence');
      const pupil = await queuedPupil();
      const hasPupil = (data: unknown) => (data as QueueResponse).items.some((item) => item.conversationId === pupil.conversationId);
      await stream.next((name, data) => name === 'queue' && hasPupil(data));
      stream.close();

      expect((await sol.events(`?conversation=${pupil.conversationId}`)).status).toBe(403);
      const watching = await nina.events(`?conversation=${pupil.conversationId}`);
      await watching.next((name) => name === 'conversation');
      await pupil.send('are you there?');
      await watching.next((name, data) => name === 'conversation' && (data as { conversationId: string }).conversationId === pupil.conversationId);
      watching.close();
    });
  });
});
