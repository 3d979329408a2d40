import { BOT_ANSWER_IDS } from '../../bot/careersBot';
import { AnswerRouter } from '../../dialogs/answerRouter';
import { loadContent } from '../../knowledge/loadContent';

/** The live content, so channel tests follow answers by id and survive rewording. */
export const content = loadContent(undefined, BOT_ANSWER_IDS);

/** The opening text of a topic, as the bot shows it when the topic's button is tapped. */
export function overviewText(topicId: string): string {
  const topic = content.topics.find((candidate) => candidate.id === topicId);
  if (!topic) throw new Error(`overviewText(): no topic ${topicId}`);
  return content.answer(topic.answer).text;
}

export const isOverviewOf = (topicId: string) => (activity: { text?: string }) => activity.text === overviewText(topicId);

const router = new AnswerRouter(content);

/** The text of the answer a first message routes to. */
export function routedText(message: string): string {
  const route = router.route(message);
  if (route.kind !== 'answer') throw new Error(`routedText(): ${message} routes to ${route.kind}`);
  return route.answer.text;
}

/**
 * The messages a crisis message gets: the first words, who will see the chat (the answer
 * `whoId`, with its `{when}`) with the crisis contacts, and the safety check.
 */
export function crisisReplyTexts(whoId: string, when = ''): string[] {
  const who = content.answer(whoId).text.replace('{when}', when);
  return [content.answer('crisis.reply').text, `${who}\n\n${content.answer('crisis.contacts').text}`, content.answer('crisis.safety-check').text];
}
