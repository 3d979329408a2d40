import { AdviserAccounts } from '../../adapters/adviser/accounts';
import { content } from '../support/contentText';
import { newPupil, TEAMS_BOT, type TeamsPupil } from './support/teamsActivities';
import { startTeamsBot, type TeamsBot } from './support/teamsBot';

const PASSWORD = 'a-long-test-password-1';

/** Just enough of the adviser console's API: a session cookie and its CSRF token. */
async function adviserSession(base: string, username: string) {
  const login = await fetch(`${base}/api/adviser/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username, password: PASSWORD }) });
  expect(login.status).toBe(200);
  const cookie = (login.headers.get('set-cookie') ?? '').split(';')[0];
  const { csrfToken } = (await login.json()) as { csrfToken: string };
  return (path: string, body: unknown = {}) =>
    fetch(`${base}/api/adviser${path}`, { method: 'POST', headers: { cookie, 'x-csrf-token': csrfToken, 'content-type': 'application/json' }, body: JSON.stringify(body) });
}

describe('Teams: an adviser reaches the pupil proactively', () => {
  let teams: TeamsBot;
  let pupil: TeamsPupil;
  let quiet: jest.SpyInstance;

  beforeAll(async () => {
    quiet = jest.spyOn(console, 'error').mockImplementation(() => undefined);
    teams = await startTeamsBot();
    await new AdviserAccounts(teams.bot.runtime.stores.keyValue).upsert('sam', PASSWORD);
    pupil = newPupil();
    expect((await teams.say(pupil, 'can I speak to an actual person')).status).toBe(200);
    expect((await teams.say(pupil, 'yes')).status).toBe(200);
  });
  afterAll(async () => {
    await teams?.close();
    quiet.mockRestore();
  });

  it('queues the Teams pupil for an adviser', async () => {
    expect(await teams.bot.runtime.stores.queue.get(pupil.conversationId)).toMatchObject({ status: 'waiting', channel: 'msteams', flags: ['asked-for-adviser'] });
  });

  it("delivers the adviser's message as a new activity in the pupil's conversation, as the Bot Connector expects it", async () => {
    const post = await adviserSession(teams.bot.url, 'sam');
    const path = `/conversations/${encodeURIComponent(pupil.conversationId)}`;
    const before = teams.connector.calls.length;
    expect((await post(`${path}/claim`)).status).toBe(200);
    expect((await post(`${path}/messages`, { text: "Hi, I'm Sam, a careers adviser." })).status).toBe(200);

    const proactive = teams.connector.since(before);
    expect(proactive.map((call) => call.body.text)).toEqual([content.answer('handoff.adviser-joined').text, "Hi, I'm Sam, a careers adviser."]);
    for (const call of proactive) {
      // Not a reply to anything the pupil sent: POST /v3/conversations/{conversationId}/activities.
      expect(call.method).toBe('POST');
      expect(call.rawPath).toBe(`/v3/conversations/${encodeURIComponent(pupil.conversationId)}/activities`);
      expect(call.replyToId).toBeUndefined();
      expect(call.authorization).toMatch(/^Bearer app-token-\d+$/);
      expect(call.body).toMatchObject({ type: 'message', from: { id: TEAMS_BOT.id }, recipient: { id: pupil.user.id }, conversation: { id: pupil.conversationId } });
      expect(call.body.replyToId).toBeUndefined();
    }
  });

  it("passes the pupil's answer to the adviser, not the bot", async () => {
    const before = teams.connector.calls.length;
    expect((await teams.say(pupil, 'thanks, I want to be a vet')).status).toBe(200);
    expect(teams.connector.since(before).filter((call) => call.body.type === 'message')).toEqual([]);
    const transcript = await teams.bot.runtime.stores.transcripts.read(pupil.conversationId);
    expect(transcript.slice(-1).map((entry) => [entry.from, entry.text])).toEqual([['pupil', 'thanks, I want to be a vet']]);
  });
});
