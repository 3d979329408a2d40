import type { Entity } from 'botbuilder';
import { CareerAspect } from '../knowledge/careerTalkSchema';
import type { Careers } from '../knowledge/loadCareers';

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

/** The id a thumb names for one part of a job's profile ("career.electrician.pay"): what was shown, nothing of who. */
export function careerVoteId(careerId: string, aspect: CareerAspect): string {
  return `career.${careerId}.${aspect}`;
}

/** True when `id` is a careers answer a thumb may name: a job that exists and one of its parts. */
export function isCareerVoteId(careers: Careers, id: string): boolean {
  const match = /^career\.([a-z0-9-]+)\.([a-z]+)$/.exec(id);
  if (!match) return false;
  const [, careerId, aspect] = match;
  return careers.profiles.some((profile) => profile.id === careerId) && CareerAspect.safeParse(aspect).success;
}
