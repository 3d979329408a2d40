import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { content } from './contentText';
import { DirectLineTestClient, type DLActivity } from './directLineClient';

/**
 * Pupil questions in the format of shared/examples/pupil-questions.json: what the pupil says,
 * regular expressions the bot's reply to the last message must all match (case-insensitive), and
 * ones it must not. When the bot asks the pupil's age, the case answers with `age` (default 15).
 */
export const PupilQuestion = z.object({
  say: z.array(z.string().min(1)).min(1),
  expect: z.array(z.string()).min(1),
  not: z.array(z.string()).default([]),
  age: z.number().int().optional(),
});
export type PupilQuestion = z.infer<typeof PupilQuestion>;

const QuestionsFile = z.object({ cases: z.array(PupilQuestion).min(1) }).passthrough();

export function readPupilQuestions(file: string): PupilQuestion[] {
  return QuestionsFile.parse(JSON.parse(readFileSync(file, 'utf8'))).cases;
}

export interface Asked {
  /** the text of every bot message that answered the last thing said */
  reply: string;
  /** the expectations the reply missed, and the forbidden ones it matched */
  failures: string[];
}

const isBotMessage = (activity: DLActivity) => activity.from?.role === 'bot' && activity.type === 'message';

/** Says a message and returns the bot's replies to it (the channel answers a POST once the turn is done). */
export async function say(client: DirectLineTestClient, text: string): Promise<DLActivity[]> {
  await client.send(text);
  return (await client.poll()).filter(isBotMessage);
}

/** Runs one case in a fresh conversation over Direct Line and checks the reply to its last message. */
export async function ask(baseUrl: string, question: PupilQuestion): Promise<Asked> {
  const client = await DirectLineTestClient.start(baseUrl);
  await client.poll();
  const agePrompt = content.answer('prompt.age').text;
  let replies: DLActivity[] = [];
  for (const text of question.say) {
    replies = await say(client, text);
    if (replies.some((activity) => activity.text === agePrompt)) replies = await say(client, String(question.age ?? 15));
  }
  const reply = replies.map((activity) => activity.text ?? '').join('\n\n');
  const failures = [
    ...question.expect.filter((pattern) => !new RegExp(pattern, 'i').test(reply)).map((pattern) => `missing /${pattern}/`),
    ...question.not.filter((pattern) => new RegExp(pattern, 'i').test(reply)).map((pattern) => `has /${pattern}/`),
    ...(reply.includes(content.answer('dialog.rephrase').text) ? ['not understood'] : []),
  ];
  return { reply, failures };
}
