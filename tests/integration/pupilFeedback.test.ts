import path from 'node:path';
import { AdviserAccounts } from '../../adapters/adviser/accounts';
import type { InsightsResponse } from '../../adapters/adviser/shared/consoleApi';
import { londonIsoWeek } from '../../bot/insights/isoWeek';
import { AdviserTools, ADVISER_PASSWORD as PASSWORD } from '../support/adviserClient';
import { content } from '../support/contentText';
import { DirectLineTestClient, type DLActivity } from '../support/directLineClient';
import { startInProcess, type InProcessServer } from '../support/inProcessServer';

const SCHOOLS_FILE = path.resolve(__dirname, '..', 'fixtures', 'schools', 'two-schools.json');
const NORTH = 'north-high';
const NOW = '2026-11-24T10:00:00Z';
const text = (id: string) => content.answer(id).text;

/** The thumbs under a bot answer, as Web Chat reads them from the activity's schema.org Message entity. */
function thumbsOf(activity: DLActivity): Record<string, unknown>[] {
  const entities = Array.isArray(activity.entities) ? activity.entities : [];
  const message = entities.find(
    (entity): entity is { potentialAction: Record<string, unknown>[] } => typeof entity === 'object' && entity !== null && (entity as { '@type'?: unknown })['@type'] === 'Message',
  );
  return message?.potentialAction ?? [];
}

/**
 * Pupils' feedback through the web chat channel as Web Chat sends it, and what the school's
 * insights and CSV then show: counts only, suppressed under five, nothing about which pupil.
 */
describe("pupils' feedback, end to end through the API", () => {
  let server: InProcessServer;
  let nina: AdviserTools;

  beforeAll(async () => {
    server = await startInProcess({ ADVISER_USERNAME: 'sam', ADVISER_PASSWORD: PASSWORD, SCHOOLS_FILE, BOT_CLOCK: NOW });
    await new AdviserAccounts(server.runtime.stores.keyValue).upsert('nina', PASSWORD, [NORTH]);
    nina = new AdviserTools(server.url);
    expect((await nina.login('nina')).status).toBe(200);
  }, 30_000);
  afterAll(() => server.close());

  const figures = async () => {
    const insights = await nina.json<InsightsResponse>(`/insights?school=${NORTH}&weeks=1`);
    return Object.fromEntries(insights.weeks[0].figures.filter((figure) => figure.chart === 'feedback').map((figure) => [figure.id, figure.value]));
  };

  /** A North pupil whose chat an adviser closed: resolves the pupil once "Did that help?" has arrived. */
  const helped = async () => {
    const pupil = await DirectLineTestClient.start(server.url, NORTH);
    await pupil.send('I need an adviser');
    await pupil.send(text('button.yes'));
    await pupil.poll();
    await nina.post(`/conversations/${pupil.conversationId}/claim`);
    expect((await nina.post(`/conversations/${pupil.conversationId}/close`, { outcome: 'resolved' })).status).toBe(200);
    const question = await pupil.waitForBot((activity) => activity.text === text('feedback.adviser-question'));
    expect(question.suggestedActions?.actions.map((action) => action.title)).toEqual(['feedback.face-helped', 'feedback.face-partly', 'feedback.face-not-helped', 'feedback.face-skip'].map(text));
    return pupil;
  };

  it('asks after an adviser closes; each face is counted once, thanked, and kept out of the transcript', async () => {
    const first = await helped();
    await first.send(text('feedback.face-helped'));
    await first.waitForBot((activity) => activity.text === text('feedback.thanks'));
    const view = (await (await nina.get(`/conversations/${first.conversationId}`)).json()) as { transcript: { text: string }[] };
    expect(view.transcript.map((line) => line.text)).not.toContain(text('feedback.face-helped'));
    expect(await figures()).toMatchObject({ 'feedback:adviser:helped': '<5' });

    for (let n = 0; n < 4; n += 1) {
      const pupil = await helped();
      await pupil.send(text('feedback.face-helped'));
      await pupil.waitForBot((activity) => activity.text === text('feedback.thanks'));
    }
    const skipper = await helped();
    await skipper.send(text('feedback.face-skip'));
    await skipper.waitForBot((activity) => activity.text === text('feedback.skipped'));
    expect(await figures()).toMatchObject({ 'feedback:adviser:helped': 5, 'feedback:adviser:skipped': '<5', 'feedback:adviser:not-helped': 0 });

    const csv = await (await nina.get(`/insights.csv?school=${NORTH}&weeks=1`)).text();
    const week = londonIsoWeek(new Date(NOW));
    expect(csv).toContain(`${NORTH},North High School,${week},2026-11-23,feedback:adviser:helped,After an adviser chat: it helped,5,responses,`);
    expect(csv).toContain(`feedback:adviser:skipped,After an adviser chat: skipped the question,<5,responses`);
    expect(csv).not.toContain(first.conversationId);
  });

  it("counts a thumb on one of the bot's answers once, as Web Chat sends it", async () => {
    const pupil = await DirectLineTestClient.start(server.url, NORTH);
    await pupil.poll();
    await pupil.send('Apprenticeships');
    const answer = await pupil.waitForBot((activity) => activity.text === text('apprenticeships.overview'));
    const [like, dislike] = thumbsOf(answer);
    expect([like['@type'], dislike['@type']]).toEqual(['LikeAction', 'DislikeAction']);
    expect(await pupil.post({ type: 'event', name: 'webchat:activity-status/feedback', entities: [like] })).toBe(200);
    expect(await pupil.post({ type: 'event', name: 'webchat:activity-status/feedback', entities: [like] })).toBe(200);
    expect(await pupil.post({ type: 'event', name: 'webchat:activity-status/feedback', entities: [{ '@type': 'LikeAction', '@id': 'made.up#up' }] })).toBe(200);
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(await figures()).toMatchObject({ 'feedback:answer:up': '<5', 'feedback:answer:down': 0 });
    const votes = await server.runtime.stores.insights.read(NORTH, londonIsoWeek(new Date(NOW)));
    expect(votes.counts['feedback:answer:up']).toBe(1);
  });

  it("puts the same thumbs under a job's answer, naming the job and the part shown, and counts one", async () => {
    const before = (await server.runtime.stores.insights.read(NORTH, londonIsoWeek(new Date(NOW)))).counts['feedback:answer:down'] ?? 0;
    const pupil = await DirectLineTestClient.start(server.url, NORTH);
    await pupil.poll();
    await pupil.send('how much does an electrician earn');
    const answer = await pupil.waitForBot((activity) => /electrician/i.test(activity.text ?? ''));
    const [like, dislike] = thumbsOf(answer);
    expect([like['@id'], dislike['@id']]).toEqual(['career.electrician.pay#up', 'career.electrician.pay#down']);
    expect(await pupil.post({ type: 'event', name: 'webchat:activity-status/feedback', entities: [dislike] })).toBe(200);
    expect(await pupil.post({ type: 'event', name: 'webchat:activity-status/feedback', entities: [dislike] })).toBe(200);
    await new Promise((resolve) => setTimeout(resolve, 100));
    const votes = await server.runtime.stores.insights.read(NORTH, londonIsoWeek(new Date(NOW)));
    expect(votes.counts['feedback:answer:down']).toBe(before + 1);
  });
});
