import type { Activity, TurnContext } from 'botbuilder';
import type { PromptOptions } from 'botbuilder-dialogs';
import { z } from 'zod';
import { CareerAspect } from '../knowledge/careerTalkSchema';
import { answerVoteEntity, careerVoteId } from './answerVote';
import { CancelAndHelpPrompt } from './cancelAndHelpPrompt';
import type { GuidanceServices } from './guidanceServices';
import { normalise } from './normalise';
import { textReply } from './replies';

/**
 * What a careers message shows, by ids: a part of a job, a question of the explorer, job families
 * to pick from, or one family's jobs. Kept in the prompt's state in place of the message.
 */
export const CareerView = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('career'), careerId: z.string(), aspect: CareerAspect }),
  z.object({ kind: z.literal('question'), index: z.number().int().min(0) }),
  /** `interests`: set when the pupil named them ("jobs for people who like art"), for the reply that says so */
  z.object({ kind: z.literal('families'), families: z.array(z.string()), interests: z.array(z.string()).optional() }),
  z.object({ kind: z.literal('family'), family: z.string() }),
]);
export type CareerView = z.infer<typeof CareerView>;

export interface CareerPromptOptions extends PromptOptions {
  /** the view to show, or none to wait without showing anything (after a rephrase prompt) */
  view?: CareerView;
}

/** The parts of a job offered as buttons under a careers answer, besides the one shown. */
const BUTTON_ASPECTS: readonly CareerAspect[] = ['routes', 'pay', 'subjects', 'what'];

const capitalise = (text: string) => text.charAt(0).toUpperCase() + text.slice(1);

/** The buttons under a careers answer: the job's other parts, then Menu. */
export function careerButtons(services: GuidanceServices, aspect: CareerAspect): string[] {
  const { careerAnswers, content } = services;
  return [...BUTTON_ASPECTS.filter((other) => other !== aspect).map((other) => careerAnswers.aspectButton(other)), content.answer('button.menu').text];
}

/** The part of a job a button label stands for, when the text is one of them. */
export function aspectOfButton(services: GuidanceServices, text: string): CareerAspect | undefined {
  const wanted = normalise(text);
  return CareerAspect.options.find((aspect) => normalise(services.careerAnswers.aspectButton(aspect)) === wanted);
}

/** A careers view as a message: its text from careers content, its buttons, and thumbs under a job's answer. */
export function renderCareerView(services: GuidanceServices, view: CareerView): Partial<Activity> {
  const { careers, careerAnswers, explorer, content } = services;
  const menu = content.answer('button.menu').text;
  switch (view.kind) {
    case 'career':
      // Thumbs as under the guidance answers, naming the job and the part shown.
      return {
        ...textReply(careerAnswers.answerFor(careers.profile(view.careerId), view.aspect), careerButtons(services, view.aspect)),
        entities: [answerVoteEntity(careerVoteId(view.careerId, view.aspect))],
      };
    case 'question': {
      const question = explorer.questions[view.index];
      const text = view.index === 0 ? careerAnswers.exploreStart(question) : question.text;
      return textReply(text, [...question.options.map((option) => option.label), menu]);
    }
    case 'families': {
      const families = view.families.map((id) => careers.family(id));
      const text = view.interests ? careerAnswers.interestAnswer(view.interests.map((id) => careers.interest(id))) : careerAnswers.familiesAnswer(families);
      return textReply(text, [...families.map((family) => family.title), menu]);
    }
    case 'family': {
      const family = careers.family(view.family);
      return textReply(careerAnswers.familyAnswer(family), [...family.profiles.map((id) => capitalise(careers.profile(id).title)), menu]);
    }
  }
}

/**
 * A careers message as a TextPrompt (CancelAndHelpPrompt, so menu, help and bye work here too):
 * the view and its buttons, then the pupil's reply. Like AnswerPrompt it keeps the view's ids in
 * its state and makes the message from careers content each time it is shown.
 */
export class CareerPrompt extends CancelAndHelpPrompt {
  protected override async onPrompt(context: TurnContext, _state: object, options: PromptOptions): Promise<void> {
    const shown = 'view' in options ? CareerView.safeParse(options.view) : undefined;
    if (!shown?.success) return;
    await context.sendActivity(renderCareerView(this.services, shown.data));
  }
}
