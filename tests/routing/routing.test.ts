import { readdirSync, readFileSync } from 'node:fs';
import { triageExamplesPath } from '../support/sharedExamples';
import path from 'node:path';
import { z } from 'zod';
import { BOT_ANSWER_IDS } from '../../bot/careersBot';
import { AnswerRouter } from '../../dialogs/answerRouter';
import { loadContent } from '../../knowledge/loadContent';

/**
 * Routing tables: each case is a realistic first message and the answer id (or topic) it must
 * reach. Files in tests/routing/cases/*.json: [{ "text": "...", "answer": "jobs.cv" }] or
 * [{ "text": "...", "topic": "jobs" }] when any answer of the topic will do.
 */
const Case = z.object({ text: z.string().min(1), answer: z.string().optional(), topic: z.string().optional() }).refine((c) => c.answer ?? c.topic, 'a case needs answer or topic');
const casesDir = path.join(__dirname, 'cases');
const content = loadContent(undefined, BOT_ANSWER_IDS);
const router = new AnswerRouter(content);

const files = readdirSync(casesDir).filter((file) => file.endsWith('.json'));
const table = files.flatMap((file) =>
  z
    .array(Case)
    .parse(JSON.parse(readFileSync(path.join(casesDir, file), 'utf8')))
    .map((c) => ({ ...c, file })),
);

const outcome = (text: string) => {
  const route = router.route(text);
  if (route.kind === 'answer') return { answer: route.answer.id, topic: route.topic };
  return { answer: route.kind === 'command' ? `command:${route.command}` : 'unknown', topic: route.kind };
};

describe('routing tables', () => {
  it('has at least 150 cases', () => {
    expect(table.length).toBeGreaterThanOrEqual(150);
  });

  it.each(table.map((c) => [c.file, c.text, c.answer ?? `topic ${c.topic}`, c] as const))('%s: %j → %s', (_file, text, _expected, c) => {
    const got = outcome(text);
    if (c.answer) expect(got.answer).toBe(c.answer);
    else expect(got.topic).toBe(c.topic);
  });

  it('is deterministic: the same text always routes the same way', () => {
    for (const c of table.slice(0, 50)) expect(outcome(c.text)).toEqual(outcome(c.text));
  });
});

describe('the shared triage examples with a topic', () => {
  const examples = z.object({ cases: z.array(z.object({ text: z.string(), topic: z.string().optional() }).passthrough()) }).parse(JSON.parse(readFileSync(triageExamplesPath(), 'utf8')));
  const withTopic = examples.cases.filter((c) => c.topic);

  it.each(withTopic.map((c) => [c.text, c.topic] as const))('%j → %s', (text, topic) => {
    expect(outcome(text).topic).toBe(topic);
  });
});
