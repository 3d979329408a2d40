import type { Entity } from 'botbuilder';

/** The event Web Chat posts when a pupil presses a thumb under a bot message. */
export const WEB_CHAT_VOTE_EVENT = 'webchat:activity-status/feedback';

/**
 * The thumbs Web Chat shows under one of the bot's answers: schema.org's Message entity with a
 * like and a dislike action, each naming the answer. Web Chat posts the pressed one back as
 * WEB_CHAT_VOTE_EVENT (bot/feedback counts it); other channels ignore the entity.
 */
export function answerVoteEntity(answerId: string): Entity {
  return {
    '@context': 'https://schema.org',
    '@id': '',
    '@type': 'Message',
    type: 'https://schema.org/Message',
    potentialAction: [
      { '@type': 'LikeAction', '@id': `${answerId}#up` },
      { '@type': 'DislikeAction', '@id': `${answerId}#down` },
    ],
  };
}
