import { randomBytes } from 'node:crypto';
import { CareerAnswers } from '../../dialogs/careerAnswers';
import { CareerExplorer } from '../../dialogs/careerExplorer';
import type { CareerAspect } from '../../knowledge/careerTalkSchema';
import { loadCareers } from '../../knowledge/loadCareers';
import { content } from '../support/contentText';
import { DirectLineTestClient, type DLActivity } from '../support/directLineClient';
import { startInProcess, type InProcessServer } from '../support/inProcessServer';
import { say } from '../support/pupilQuestions';
import { startRedisServer, type RedisServer } from '../support/redisServer';

const careers = loadCareers();
const answers = new CareerAnswers(careers);
const explorer = new CareerExplorer(careers);
const careerText = (id: string, aspect: CareerAspect) => answers.answerFor(careers.profile(id), aspect);
const texts = (activities: DLActivity[]) => activities.map((activity) => activity.text ?? '');
const buttons = (activity: DLActivity | undefined) => activity?.suggestedActions?.actions.map((action) => action.title) ?? [];

/**
 * Careers conversations whose state matters (the job just talked about, the explorer's answers),
 * on real Redis, with every other message sent through a second instance of the bot: nothing of
 * a conversation lives in one process.
 */
describe('careers conversations on real Redis, across two instances', () => {
  let redis: RedisServer;
  let a: InProcessServer;
  let b: InProcessServer;

  beforeAll(async () => {
    redis = await startRedisServer();
    const env = { REDIS_URL: redis.url, REDIS_KEY_PREFIX: `careers-${randomBytes(3).toString('hex')}:`, BOT_CLOCK: '2026-11-23T10:00:00Z' };
    a = await startInProcess(env);
    b = await startInProcess(env);
  }, 30_000);
  afterAll(async () => {
    await a?.close();
    await b?.close();
    await redis?.destroy();
  });

  /** A pupil's conversation; each message goes through the instance named, picking up where the last left off. */
  const started = async () => {
    let client = await DirectLineTestClient.start(a.url);
    await client.poll();
    const on = (server: InProcessServer) => async (text: string) => {
      client = client.via(server.url);
      return say(client, text);
    };
    return { onA: on(a), onB: on(b), conversationId: client.conversationId };
  };

  it('answers follow-ups about the job just talked about, whichever instance takes the turn', async () => {
    const { onA, onB } = await started();
    expect(texts(await onA('I want to be a doctor'))).toEqual([careerText('doctor', 'routes')]);
    expect(texts(await onB('which GCSEs matter'))).toEqual([careerText('doctor', 'subjects')]);
    expect(texts(await onA('and the pay?'))).toEqual([careerText('doctor', 'pay')]);
    expect(texts(await onB('how long does that take'))).toEqual([careerText('doctor', 'routes')]);
    const [whatItIs] = await onA(careers.replies.aspectButtons.what);
    expect(whatItIs.text).toBe(careerText('doctor', 'what'));
    expect(buttons(whatItIs)).toEqual([careers.replies.aspectButtons.routes, careers.replies.aspectButtons.pay, careers.replies.aspectButtons.subjects, content.answer('button.menu').text]);
  });

  it('takes the explorer from its questions to job families, a family and a job', async () => {
    const { onA, onB } = await started();
    const [first] = await onA('no idea what job i want');
    expect(first.text).toBe(answers.exploreStart());
    await onB('Computers and games');
    await onA('maths');
    const [families] = await onB('Office or at home');
    const expected = explorer.familiesFor({ interests: ['computers', 'maths', 'organising', 'computers'] });
    expect(families.text).toBe(answers.familiesAnswer(expected));
    expect(expected[0].id).toBe('computing');
    const [family] = await onA(expected[0].title);
    expect(family.text).toBe(answers.familyAnswer(expected[0]));
    expect(texts(await onB('Software developer'))).toEqual([careerText('software-developer', 'routes')]);
  });

  it('a careers question leaves crisis mode, and is answered', async () => {
    const { onA, onB, conversationId } = await started();
    await onA('i want to end my life');
    expect(await a.runtime.stores.queue.get(conversationId)).toMatchObject({ priority: 'urgent' });
    const replies = texts(await onB('how do i become a nurse'));
    expect(replies).toEqual([content.answer('crisis.moving-on').text, careerText('adult-nurse', 'routes')]);
  });
});
