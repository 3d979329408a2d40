import path from 'node:path';
import { ask, readPupilQuestions, type PupilQuestion } from '../support/pupilQuestions';
import { pupilQuestionsPath } from '../support/sharedExamples';
import { startInProcess, type InProcessServer } from '../support/inProcessServer';

/**
 * Pupil questions through Direct Line, each in a new conversation, with what a careers adviser
 * would expect in the answer (format of shared/examples/pupil-questions.json): the shared
 * examples and our own wordings (own.json) every one, and a set kept apart from tuning
 * (heldOut.json) at least nine in ten.
 */
describe('pupil questions through Direct Line', () => {
  let server: InProcessServer;

  beforeAll(async () => {
    // Many conversations from one address in a few seconds: the rate limits are another test's.
    server = await startInProcess({ BOT_CLOCK: '2026-11-23T10:00:00Z', RATE_LIMIT_CONVERSATIONS_PER_MINUTE: '0', RATE_LIMIT_MESSAGES_PER_MINUTE: '0', RATE_LIMIT_ADDRESS_PER_MINUTE: '0' });
  });
  afterAll(() => server.close());

  const title = (question: PupilQuestion) => question.say.join(' → ');

  describe('the shared examples', () => {
    const shared = readPupilQuestions(pupilQuestionsPath());
    it.each(shared.map((question) => [title(question), question] as const))('%s', async (_title, question) => {
      expect((await ask(server.url, question)).failures).toEqual([]);
    });
  });

  describe('our own wordings', () => {
    const own = readPupilQuestions(path.join(__dirname, 'pupilQuestions', 'own.json'));
    it('has many', () => {
      expect(own.length).toBeGreaterThanOrEqual(150);
    });
    it.each(own.map((question) => [title(question), question] as const))('%s', async (_title, question) => {
      expect((await ask(server.url, question)).failures).toEqual([]);
    });
  });

  it('answers at least nine in ten of the held-out questions as an adviser would expect', async () => {
    const heldOut = readPupilQuestions(path.join(__dirname, 'pupilQuestions', 'heldOut.json'));
    expect(heldOut.length).toBeGreaterThanOrEqual(100);
    const failing: string[] = [];
    for (const question of heldOut) {
      const { failures } = await ask(server.url, question);
      if (failures.length > 0) failing.push(`${title(question)}: ${failures.join(', ')}`);
    }
    expect({ atLeastNineInTen: failing.length <= heldOut.length / 10, failing }).toMatchObject({ atLeastNineInTen: true });
  });
});
