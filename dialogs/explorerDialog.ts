import { WaterfallDialog, type DialogTurnResult, type WaterfallStepContext } from 'botbuilder-dialogs';
import { familiesOfInterests } from './careerExplorer';
import { CAREER_PROMPT } from './careerDialog';
import type { CareerPromptOptions, CareerView } from './careerViews';
import { CAREERS_TOPIC } from './conversationData';
import { dataOf, type GuidanceServices } from './guidanceServices';
import type { TopicResult } from './guidanceTopicDialog';
import { destinationOf } from './messageReader';
import { normalise } from './normalise';
import { replyNotUnderstood } from './notUnderstood';

export const EXPLORER_DIALOG = 'explorerDialog';

export interface ExplorerOptions {
  /** the interest ids the pupil's answers (or words) pointed to, in order */
  interests: string[];
  /** explorer questions answered (or skipped) so far */
  answered: number;
  /** true when the pupil named the interests in a question of their own: their families, no questions */
  named?: boolean;
  /** the family whose jobs are shown */
  family?: string;
  /** set after a message the bot did not understand: wait again without repeating the message */
  rephrase?: boolean;
}

/**
 * "I don't know what I want to do", as a waterfall: a few questions about what the pupil enjoys,
 * is good at and where they would like to work (buttons or their own words), then three to five
 * job families that fit, then a family's jobs; a job's name goes on to its profile (CareerDialog,
 * through the main dialog). "What jobs can I do if I like art" starts at the families of the
 * interests named. A reply that names a job or asks another question leaves the explorer for it;
 * one it cannot place skips the question rather than asking it again.
 */
export class ExplorerDialog extends WaterfallDialog<ExplorerOptions> {
  constructor(private readonly services: GuidanceServices) {
    super(EXPLORER_DIALOG);
    this.addStep(this.show.bind(this));
    this.addStep(this.readReply.bind(this));
  }

  private async show(step: WaterfallStepContext<ExplorerOptions>): Promise<DialogTurnResult> {
    const data = await dataOf(this.services, step.context);
    data.lastTopic = CAREERS_TOPIC;
    const options: CareerPromptOptions = step.options.rephrase ? {} : { view: this.viewFor(step.options) };
    return step.prompt(CAREER_PROMPT, options);
  }

  private async readReply(step: WaterfallStepContext<ExplorerOptions>): Promise<DialogTurnResult> {
    const reply: unknown = step.result;
    const text = typeof reply === 'string' ? reply : '';
    const view = this.viewFor(step.options);
    if (view.kind === 'question') return this.readAnswer(step, view.index, text);
    if (view.kind === 'families') {
      const family = this.familyNamed(view.families, text);
      if (family) return step.replaceDialog(this.id, { ...step.options, family, rephrase: false } satisfies ExplorerOptions);
    }
    const reading = this.services.reader.read(step.context, text);
    if (reading.kind === 'command' && reading.command === 'back') {
      if (view.kind === 'family') return step.replaceDialog(this.id, { ...step.options, family: undefined, rephrase: false } satisfies ExplorerOptions);
      return step.endDialog({} satisfies TopicResult);
    }
    const data = await dataOf(this.services, step.context);
    const switchTo = destinationOf(reading);
    if (switchTo) {
      data.notUnderstoodInARow = 0;
      return step.endDialog({ switchTo } satisfies TopicResult);
    }
    const menu = this.services.content.answer('button.menu').text;
    const buttons = view.kind === 'families' ? view.families.map((id) => this.services.careers.family(id).title) : [];
    await replyNotUnderstood(this.services, step.context, data, [...buttons, menu]);
    return step.replaceDialog(this.id, { ...step.options, rephrase: true } satisfies ExplorerOptions);
  }

  /** An answer to an explorer question: a button, interests in the pupil's words, another question, or a skip. */
  private async readAnswer(step: WaterfallStepContext<ExplorerOptions>, index: number, text: string): Promise<DialogTurnResult> {
    const { explorer, reader } = this.services;
    const { interests, answered } = step.options;
    const next = (more: string[]) => step.replaceDialog(this.id, { interests: [...interests, ...more], answered: answered + 1 } satisfies ExplorerOptions);
    const fromButton = explorer.interestsForOption(explorer.questions[index], text);
    if (fromButton.length > 0) return next(fromButton);
    const reading = reader.read(step.context, text);
    if (reading.kind === 'career') return step.endDialog({ switchTo: destinationOf(reading) } satisfies TopicResult);
    if (reading.kind === 'command' && reading.command === 'back') return step.endDialog({} satisfies TopicResult);
    const named = this.services.reader.interestsIn(text);
    if (named.length > 0) return next(named.map((interest) => interest.id));
    if (reading.kind === 'guidance' && !reading.answer.givesWayToCareer) return step.endDialog({ switchTo: destinationOf(reading) } satisfies TopicResult);
    return next([]);
  }

  private viewFor(options: ExplorerOptions): CareerView {
    const { careers, explorer } = this.services;
    if (options.family) return { kind: 'family', family: options.family };
    if (options.named) {
      const families = familiesOfInterests(
        careers,
        options.interests.map((id) => careers.interest(id)),
      );
      return { kind: 'families', families: families.map((family) => family.id), interests: options.interests };
    }
    if (explorer.nextQuestion(options.answered)) return { kind: 'question', index: options.answered };
    return { kind: 'families', families: explorer.familiesFor({ interests: options.interests }).map((family) => family.id) };
  }

  /** The family a reply picks: a button's title, or a message naming one. */
  private familyNamed(familyIds: string[], text: string): string | undefined {
    const said = ` ${normalise(text)} `;
    return familyIds.find((id) => said.includes(` ${normalise(this.services.careers.family(id).title)} `));
  }
}
