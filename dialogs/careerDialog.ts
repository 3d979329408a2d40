import { WaterfallDialog, type DialogTurnResult, type WaterfallStepContext } from 'botbuilder-dialogs';
import type { CareerAspect } from '../knowledge/careerTalkSchema';
import { aspectOfButton, careerButtons, type CareerPromptOptions } from './careerViews';
import { CAREERS_TOPIC } from './conversationData';
import { dataOf, type GuidanceServices } from './guidanceServices';
import type { TopicResult } from './guidanceTopicDialog';
import { destinationOf } from './messageReader';
import { replyNotUnderstood } from './notUnderstood';

export const CAREER_DIALOG = 'careerDialog';
/** The prompt careers messages are shown with (CareerPrompt), registered in MainDialog. */
export const CAREER_PROMPT = 'careerPrompt';

export interface CareerOptions {
  careerId: string;
  aspect: CareerAspect;
  /** set after a message the bot did not understand: wait again without repeating the answer */
  rephrase?: boolean;
}

/**
 * A job, as a waterfall: show the part of its profile asked about (how to get in, pay, subjects,
 * what the job is, hours, registration) with buttons for the other parts, then read the reply.
 * A button, or a follow-up that names no job ("and the pay?", "which GCSEs matter"), shows that
 * part of this job; another job shows that job; any other question ends the dialog and hands it
 * to the main dialog. The job's id stays in the conversation data for follow-ups after it ends.
 */
export class CareerDialog extends WaterfallDialog<CareerOptions> {
  constructor(private readonly services: GuidanceServices) {
    super(CAREER_DIALOG);
    this.addStep(this.showAnswer.bind(this));
    this.addStep(this.readReply.bind(this));
  }

  private async showAnswer(step: WaterfallStepContext<CareerOptions>): Promise<DialogTurnResult> {
    const { careerId, aspect, rephrase = false } = step.options;
    const data = await dataOf(this.services, step.context);
    data.career = careerId;
    data.lastTopic = CAREERS_TOPIC;
    const options: CareerPromptOptions = rephrase ? {} : { view: { kind: 'career', careerId, aspect } };
    return step.prompt(CAREER_PROMPT, options);
  }

  private async readReply(step: WaterfallStepContext<CareerOptions>): Promise<DialogTurnResult> {
    const { careerId, aspect } = step.options;
    const reply: unknown = step.result;
    const text = typeof reply === 'string' ? reply : '';
    const button = aspectOfButton(this.services, text);
    if (button) return step.replaceDialog(this.id, { careerId, aspect: button } satisfies CareerOptions);
    const reading = this.services.reader.read(step.context, text, { career: careerId });
    const data = await dataOf(this.services, step.context);
    if (reading.kind === 'career') {
      data.notUnderstoodInARow = 0;
      return step.replaceDialog(this.id, { careerId: reading.profile.id, aspect: reading.aspect } satisfies CareerOptions);
    }
    if (reading.kind === 'command' && reading.command === 'more') {
      return step.replaceDialog(this.id, { careerId, aspect: aspect === 'what' ? 'routes' : 'what' } satisfies CareerOptions);
    }
    if (reading.kind === 'command' && reading.command === 'back') return step.endDialog({} satisfies TopicResult);
    const switchTo = destinationOf(reading);
    if (switchTo) {
      data.notUnderstoodInARow = 0;
      return step.endDialog({ switchTo } satisfies TopicResult);
    }
    await replyNotUnderstood(this.services, step.context, data, careerButtons(this.services, aspect));
    return step.replaceDialog(this.id, { careerId, aspect, rephrase: true } satisfies CareerOptions);
  }
}
