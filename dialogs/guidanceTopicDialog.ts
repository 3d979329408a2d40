import { ComponentDialog, TextPrompt, type DialogContext, type DialogTurnResult } from 'botbuilder-dialogs';
import type { TopicId } from '../knowledge/schema';
import { continueActiveDialog } from './continueActiveDialog';
import type { GuidanceServices } from './guidanceServices';
import { TopicFlowDialog } from './topicFlowDialog';

const FLOW = 'flow';
// The prompts the flow waited under before it read replies itself: kept so that a conversation
// saved then, waiting under one of them, resumes (its answer goes back to the flow).
const REPLY_PROMPT = 'reply';
const AGE_PROMPT = 'age';

export interface TopicOptions {
  answerId: string;
  /** answers shown before this one in the topic, for "back" */
  history?: string[];
  /** set after a message the bot did not understand: wait again without repeating the answer */
  rephrase?: boolean;
}

/** What a topic dialog hands back to the main dialog when the pupil moves on. */
export interface TopicResult {
  switchTo?: { answerId: string; topic: TopicId };
}

/**
 * One guidance topic: its flow (TopicFlowDialog) shows answers and reads the replies until the
 * pupil goes back past the first answer or asks about another topic, which it hands back to the
 * main dialog.
 */
export abstract class GuidanceTopicDialog extends ComponentDialog {
  protected constructor(
    id: string,
    readonly topic: TopicId,
    protected readonly services: GuidanceServices,
  ) {
    super(id);
    this.addDialog(new TextPrompt(REPLY_PROMPT));
    this.addDialog(new TextPrompt(AGE_PROMPT));
    this.addDialog(new TopicFlowDialog(FLOW, topic, services));
    this.initialDialogId = FLOW;
  }

  protected override onContinueDialog(innerDc: DialogContext): Promise<DialogTurnResult> {
    return continueActiveDialog(innerDc);
  }
}
