import { TestAdapter, type Activity } from 'botbuilder';
import { MemoryInsights } from '../../adapters/memory/memoryInsights';
import { MemoryKeyValue } from '../../adapters/memory/memoryKeyValue';
import { PupilFeedback } from '../../bot/feedback/pupilFeedback';
import { InsightsRecorder } from '../../bot/insights/insightsRecorder';
import { weekReport } from '../../bot/insights/insightsReport';
import { londonIsoWeek } from '../../bot/insights/isoWeek';
import type { Logger } from '../../bot/ports';
import { answerVoteEntity, careerVoteId, WEB_CHAT_VOTE_EVENT } from '../../dialogs/answerVote';
import { loadCareers } from '../../knowledge/loadCareers';
import { content } from '../support/contentText';

const careers = loadCareers();
const NOW = new Date('2026-11-24T10:00:00Z');
const WEEK = londonIsoWeek(NOW);
const logger: Logger = { debug: () => undefined, info: () => undefined, warn: () => undefined, error: () => undefined };
const face = (id: string) => content.answer(id).text;
const settle = () => new Promise((resolve) => setImmediate(resolve));

/** What Web Chat posts when a thumb under an answer is pressed: the pressed action, as the answer carried it. */
function vote(answerId: string, direction: 0 | 1): Partial<Activity> {
  const action = (answerVoteEntity(answerId).potentialAction as Record<string, unknown>[])[direction];
  return { type: 'event', name: WEB_CHAT_VOTE_EVENT, entities: [{ ...action, type: String(action['@type']) }] };
}

describe("pupils' feedback", () => {
  let insights: MemoryInsights;
  let feedback: PupilFeedback;
  let reachedBot: string[];
  let adapter: TestAdapter;

  beforeEach(() => {
    insights = new MemoryInsights();
    const keyValue = new MemoryKeyValue(Date.now);
    feedback = new PupilFeedback({ content, careers, keyValue, insights: new InsightsRecorder(insights, { now: () => NOW }, logger), schoolOf: async () => 'north', retentionDays: 30, logger });
    reachedBot = [];
    adapter = new TestAdapter(async (context) => {
      reachedBot.push(context.activity.type === 'message' ? (context.activity.text ?? '') : `${context.activity.type}:${context.activity.name ?? ''}`);
      if (context.activity.type === 'message') await context.sendActivity('bot reply');
    });
    adapter.use(feedback);
  });
  const counts = async () => (await insights.read('north', WEEK)).counts;

  it('asks "Did that help?" with three faces and a skip; a face answers it once, is thanked, and never reaches the bot', async () => {
    const question = await feedback.question(adapter.conversation.conversation.id, 'north');
    expect(question).toEqual({
      text: content.answer('feedback.adviser-question').text,
      buttons: [face('feedback.face-helped'), face('feedback.face-partly'), face('feedback.face-not-helped'), face('feedback.face-skip')],
    });
    await adapter.send(face('feedback.face-helped')).assertReply(content.answer('feedback.thanks').text);
    await settle();
    expect(await counts()).toEqual({ 'feedback:adviser:helped': 1 });
    expect(reachedBot).toEqual([]);
    // asked once, answered once: the same face again is an ordinary message
    await adapter.send(face('feedback.face-helped')).assertReply('bot reply');
    await settle();
    expect(await counts()).toEqual({ 'feedback:adviser:helped': 1 });
  });

  it('counts a skip as a skip', async () => {
    await feedback.question(adapter.conversation.conversation.id, 'north');
    await adapter.send(face('feedback.face-skip')).assertReply(content.answer('feedback.skipped').text);
    await settle();
    expect(await counts()).toEqual({ 'feedback:adviser:skipped': 1 });
  });

  it('leaves every other message to the bot, and a face with nothing asked too', async () => {
    await adapter.send(face('feedback.face-not-helped')).assertReply('bot reply');
    await feedback.question(adapter.conversation.conversation.id, 'north');
    await adapter.send(`${face('feedback.face-not-helped')} and i want to hurt myself`).assertReply('bot reply');
    await settle();
    expect(reachedBot).toEqual([face('feedback.face-not-helped'), `${face('feedback.face-not-helped')} and i want to hurt myself`]);
    expect(await counts()).toEqual({});
  });

  it("counts one thumb per answer in a conversation, for the conversation's school; a forged or unknown one is dropped", async () => {
    await adapter.send(vote('apprenticeships.overview', 0));
    await adapter.send(vote('apprenticeships.overview', 1));
    await adapter.send(vote('post16.overview', 1));
    await adapter.send(vote('no.such-answer', 0));
    await adapter.send({ type: 'event', name: WEB_CHAT_VOTE_EVENT, entities: [{ type: 'LikeAction', '@type': 'LikeAction', '@id': 'post16.overview#down' }] });
    await settle();
    expect(await counts()).toEqual({ 'feedback:answer:up': 1, 'feedback:answer:down': 1 });
    expect(reachedBot).toEqual([]);
  });

  it("counts thumbs on a job's answers like the guidance answers' (one per part of a job a conversation), and drops a job or a part that does not exist", async () => {
    await adapter.send(vote(careerVoteId('electrician', 'pay'), 0));
    await adapter.send(vote(careerVoteId('electrician', 'pay'), 0));
    await adapter.send(vote(careerVoteId('electrician', 'routes'), 1));
    await adapter.send(vote('career.no-such-job.pay', 0));
    await adapter.send(vote('career.electrician.salary', 0));
    await settle();
    expect(await counts()).toEqual({ 'feedback:answer:up': 1, 'feedback:answer:down': 1 });
    expect(reachedBot).toEqual([]);
  });

  it('shows the counts in the insights, under five as "<5", with nothing about who', () => {
    const report = weekReport(WEEK, { counts: { 'feedback:adviser:helped': 7, 'feedback:adviser:partly': 2, 'feedback:answer:up': 5 }, pickupSeconds: [] }, content.topics);
    const feedbackFigures = Object.fromEntries(report.figures.filter((figure) => figure.chart === 'feedback').map((figure) => [figure.id, figure.value]));
    expect(feedbackFigures).toEqual({
      'feedback:adviser:helped': 7,
      'feedback:adviser:partly': '<5',
      'feedback:adviser:not-helped': 0,
      'feedback:adviser:skipped': 0,
      'feedback:answer:up': 5,
      'feedback:answer:down': 0,
    });
  });
});
