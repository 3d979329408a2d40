import { ActionTypes, ActivityTypes, type Activity } from 'botbuilder';
import type { Content } from '../knowledge/loadContent';

export type TemplateValues = Record<string, string | number>;

/** Fills {name} placeholders; an unknown name is a content bug, so it fails loudly. */
export function fill(template: string, values: TemplateValues = {}): string {
  // Most answers have no placeholder: a regular-expression pass over their whole text, once a
  // reply, was a measurable part of a turn (README "Performance").
  if (!template.includes('{')) return template;
  return template.replace(/\{(\w+)\}/g, (_match, name: string) => {
    if (!(name in values)) throw new Error(`fill(): no value for {${name}} in "${template.slice(0, 40)}"`);
    return String(values[name]);
  });
}

export function textReply(text: string, buttons: string[] = []): Partial<Activity> {
  const reply: Partial<Activity> = { type: ActivityTypes.Message, text, textFormat: 'plain', inputHint: 'acceptingInput' };
  if (buttons.length > 0) {
    reply.suggestedActions = {
      to: [],
      actions: buttons.map((label) => ({ type: ActionTypes.ImBack, title: label, value: label })),
    };
  }
  return reply;
}

/** The main menu: one button per guidance topic. */
export function menuReply(content: Content, answerId = 'menu.prompt'): Partial<Activity> {
  return textReply(
    content.answer(answerId).text,
    content.topics.map((topic) => topic.label),
  );
}
