import type { DialogInstance } from 'botbuilder-dialogs';
import type { TopicId } from '../knowledge/schema';
import type { GuidanceServices } from './guidanceServices';
import { TopicFlowDialog } from './topicFlowDialog';

/** The id the flow had inside each topic dialog while topics were component dialogs (see flattenTopicStacks). */
const FLOW = 'flow';
/**
 * The prompts a flow waited under before it read replies itself: registered beside the topics
 * (MainDialog) so that a conversation saved then, waiting under one of them, resumes (its answer
 * goes back to the flow).
 */
export const REPLY_PROMPT = 'reply';
export const AGE_PROMPT = 'age';

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
 * main dialog. It is the flow itself, on the main dialog's stack: until the seventh session each
 * topic was a component dialog holding its flow, which cost the turn a dialog context and a
 * memory-scope set-up more, and stacks saved then are flattened as they are resumed
 * (flattenTopicStacks).
 */
export abstract class GuidanceTopicDialog extends TopicFlowDialog {
  protected constructor(id: string, topic: TopicId, services: GuidanceServices) {
    super(id, topic, services);
  }
}

function nestedStack(instance: DialogInstance): DialogInstance[] | undefined {
  const dialogs: unknown = (instance.state as { dialogs?: { dialogStack?: unknown } } | undefined)?.dialogs;
  const stack = typeof dialogs === 'object' && dialogs !== null ? (dialogs as { dialogStack?: unknown }).dialogStack : undefined;
  return Array.isArray(stack) ? (stack as DialogInstance[]) : undefined;
}

/** The entries a topic saved as a component dialog stands for on a flat stack: its flow under the topic's id, then any prompt. */
function unwrap(topicId: string, inner: DialogInstance[], topicIds: ReadonlySet<string>): DialogInstance[] {
  return inner.flatMap((entry) => {
    if (entry.id === FLOW) return [{ id: topicId, state: entry.state }];
    const nested = topicIds.has(entry.id) ? nestedStack(entry) : undefined;
    // Topics once nested inside each other: each level's stack is flattened the same way.
    return nested ? unwrap(entry.id, nested, topicIds) : [entry];
  });
}

/**
 * Rewrites, in place, a saved stack whose topics are component dialogs (`{id: topic, state:
 * {dialogs: {dialogStack: [flow, prompt?]}}}`) into the flat form: the flow's state under the
 * topic's id, then the prompt it waited under, if any. Entries already flat are left as they are.
 */
export function flattenTopicStacks(stack: DialogInstance[], topicIds: ReadonlySet<string>): void {
  for (let index = 0; index < stack.length; index += 1) {
    const inner = topicIds.has(stack[index].id) ? nestedStack(stack[index]) : undefined;
    if (!inner) continue;
    const flat = unwrap(stack[index].id, inner, topicIds);
    stack.splice(index, 1, ...flat);
    index += flat.length - 1;
  }
}
