import type { TurnContext } from 'botbuilder';
import { normalise } from './normalise';
import type { Content } from '../knowledge/loadContent';
import { Command, type Answer, type Topic, type TopicId } from '../knowledge/schema';
import { DistressMatcher } from './distressMatcher';
import { TextFolder } from './textFolder';

export type Route = { kind: 'command'; command: Command } | { kind: 'answer'; answer: Answer; topic: TopicId } | { kind: 'unknown' };

/** A trigger: one phrase, or several ("a levels + law") that must all appear, in any order. */
type Trigger = string[];

/**
 * Commands that also count inside a longer message ("can you delete my data please"), so a
 * request to delete one's data is not missed for a "please". Only phrases of three words or
 * more, which are specific enough not to catch a careers question; shorter ones ("forget me")
 * count only as the whole message, like every other command.
 */
const MATCHED_WITHIN: readonly Command[] = ['delete'];
const MIN_WORDS_WITHIN = 3;

/** The routes worked out in a turn, by current topic and text; they live only as long as the turn. */
const TURN_ROUTES = Symbol('answerRouter.turnRoutes');

interface Rule {
  answer: Answer;
  topic: TopicId;
  triggers: Trigger[];
  /** its place in content order, which breaks ties */
  order: number;
}

/**
 * Deterministic routing of free text to an answer. A whole message that is a command or a
 * button title wins outright. Otherwise every answer scores the words of its trigger phrases
 * found in the text, plus a little when its topic's keywords appear too; the best answer wins,
 * and a message that only names a topic opens that topic. Ties go to the current topic, then to
 * content order, so the same text always gives the same answer.
 */
export class AnswerRouter {
  readonly folder: TextFolder;
  /** words of distress, for a message the router cannot place */
  readonly distress: DistressMatcher;
  private readonly commands = new Map<string, Command>();
  /** phrases padded with a space each side, so a whole-word test is one includes() */
  private readonly commandsWithin: { padded: string; command: Command }[] = [];
  private readonly titles = new Map<string, Rule[]>();
  private readonly rules: Rule[] = [];
  private readonly topics: { topic: Topic; triggers: Trigger[]; overview: Answer }[];
  private readonly topicIndex = new TriggerIndex<Topic['id']>();
  private readonly ruleIndex = new TriggerIndex<Rule>();

  constructor(private readonly content: Content) {
    const vocabulary: string[] = [];
    for (const topic of content.topics) vocabulary.push(topic.label, ...topic.keywords);
    for (const answer of content.allAnswers()) vocabulary.push(...answer.triggers.flatMap(splitTrigger), answer.title ?? '');
    for (const words of Object.values(content.commands)) vocabulary.push(...words);
    this.folder = new TextFolder(vocabulary, content.spellings, content.keepWords);
    this.distress = new DistressMatcher(content.distress, this.folder);
    const fold = (phrase: string) => this.folder.fold(phrase);

    for (const command of Command.options) {
      for (const word of content.commands[command] ?? []) this.commands.set(normalise(word), command);
    }
    for (const command of MATCHED_WITHIN) {
      for (const word of content.commands[command] ?? []) {
        const phrase = normalise(word);
        if (phrase.split(' ').length >= MIN_WORDS_WITHIN) this.commandsWithin.push({ padded: ` ${phrase} `, command });
      }
    }
    const foldTrigger = (trigger: string): Trigger => splitTrigger(trigger).map(fold);
    this.topics = content.topics.map((topic) => ({ topic, triggers: topic.keywords.map(foldTrigger), overview: content.answer(topic.answer) }));
    for (const { topic, triggers } of this.topics) for (const trigger of triggers) this.topicIndex.add(topic.id, trigger);
    for (const answer of content.allAnswers()) {
      if (!answer.topic) continue;
      const rule = { answer, topic: answer.topic, triggers: answer.triggers.map(foldTrigger), order: this.rules.length };
      this.rules.push(rule);
      for (const trigger of rule.triggers) this.ruleIndex.add(rule, trigger);
      for (const title of [answer.title].filter((value): value is string => Boolean(value))) {
        const key = fold(title);
        this.titles.set(key, [...(this.titles.get(key) ?? []), rule]);
      }
    }
    for (const { topic, overview } of this.topics) {
      const key = fold(topic.label);
      this.titles.set(key, [{ answer: overview, topic: topic.id, triggers: [], order: -1 }, ...(this.titles.get(key) ?? [])]);
    }
  }

  /**
   * route(), remembered for the rest of the turn: the data-deletion step, triage, the
   * interruptions and the dialogs each route the same message, and the answer is the same. The
   * work that does not depend on the current topic (normalising, folding, scoring) is done once
   * a turn for both the topic-free route and the topic's own.
   */
  routeInTurn(context: TurnContext, text: string, currentTopic?: TopicId): Route {
    let routes: TurnRoutes | undefined = context.turnState.get(TURN_ROUTES);
    if (!routes) {
      routes = { analyses: new Map(), routes: new Map() };
      context.turnState.set(TURN_ROUTES, routes);
    }
    const key = `${currentTopic ?? ''}\u0000${text}`;
    let route = routes.routes.get(key);
    if (!route) {
      let analysis = routes.analyses.get(text);
      if (!analysis) {
        analysis = this.analyse(text);
        routes.analyses.set(text, analysis);
      }
      route = this.decide(analysis, currentTopic);
      routes.routes.set(key, route);
    }
    return route;
  }

  route(text: string, currentTopic?: TopicId): Route {
    return this.decide(this.analyse(text), currentTopic);
  }

  /** What routing finds in a message whatever the current topic. */
  private analyse(text: string): Analysis {
    const normal = normalise(text);
    const command = this.commands.get(normal);
    if (command) return { kind: 'command', command };
    const folded = this.folder.foldNormalised(normal);
    const paddedNormal = ` ${normal} `;
    const paddedFolded = ` ${folded} `;
    const within = this.commandsWithin.find(({ padded }) => paddedNormal.includes(padded) || paddedFolded.includes(padded));
    if (within) return { kind: 'command', command: within.command };
    if (!folded) return { kind: 'command', command: 'menu' };
    const titled = this.titles.get(folded);
    if (titled) return { kind: 'titled', titled };
    return { kind: 'scored', topicScores: this.topicIndex.scores(folded, paddedFolded), ruleScores: this.ruleIndex.scores(folded, paddedFolded) };
  }

  /** The route an analysis gives in the current topic: ties and titles shared by topics go to it. */
  private decide(analysis: Analysis, currentTopic?: TopicId): Route {
    if (analysis.kind === 'command') return analysis;
    if (analysis.kind === 'titled') {
      const rule = analysis.titled.find((candidate) => candidate.topic === currentTopic) ?? analysis.titled[0];
      return { kind: 'answer', answer: rule.answer, topic: rule.topic };
    }
    const { topicScores, ruleScores } = analysis;
    let best: { rule: Rule; score: number } | undefined;
    // Only the answers the index found; a tie goes to the earlier answer in content order,
    // whatever order the index found them in.
    for (const [rule, matched] of ruleScores) {
      if (matched === 0) continue;
      const score = matched + 0.25 * Math.min(topicScores.get(rule.topic) ?? 0, 2) + (rule.topic === currentTopic ? 0.1 : 0);
      if (!best || score > best.score || (score === best.score && rule.order < best.rule.order)) best = { rule, score };
    }
    if (best) return { kind: 'answer', answer: best.rule.answer, topic: best.rule.topic };

    let bestTopic: { id: TopicId; score: number } | undefined;
    for (const { topic } of this.topics) {
      const id = topic.id;
      const score = topicScores.get(id) ?? 0;
      if (score > 0 && (!bestTopic || score > bestTopic.score)) bestTopic = { id, score };
    }
    if (bestTopic) {
      const overview = this.topics.find((entry) => entry.topic.id === bestTopic.id)?.overview;
      if (overview) return { kind: 'answer', answer: overview, topic: bestTopic.id };
    }
    return { kind: 'unknown' };
  }
}

type Analysis = { kind: 'command'; command: Command } | { kind: 'titled'; titled: Rule[] } | { kind: 'scored'; topicScores: Map<TopicId, number>; ruleScores: Map<Rule, number> };

interface TurnRoutes {
  analyses: Map<string, Analysis>;
  routes: Map<string, Route>;
}

function splitTrigger(trigger: string): string[] {
  return trigger
    .split(' + ')
    .map((part) => part.trim())
    .filter(Boolean);
}

/**
 * Triggers indexed by their first word, so routing a message looks only at the triggers that
 * can match it rather than at every trigger of every answer. A trigger scores its number of
 * words (longer triggers are more specific) when every part appears as whole words.
 */
class TriggerIndex<Owner> {
  /** each trigger's parts padded with a space each side, for a whole-word includes() */
  private readonly byFirstWord = new Map<string, { owner: Owner; paddedParts: string[]; words: number }[]>();

  add(owner: Owner, parts: Trigger): void {
    if (parts.length === 0 || parts.some((part) => !part)) return;
    const first = parts[0].split(' ')[0];
    const words = parts.reduce((sum, part) => sum + part.split(' ').length, 0);
    const paddedParts = parts.map((part) => ` ${part} `);
    this.byFirstWord.set(first, [...(this.byFirstWord.get(first) ?? []), { owner, paddedParts, words }]);
  }

  /** The summed score of each owner with a trigger in `folded` text (`padded`: the same with a space each side). */
  scores(folded: string, padded: string): Map<Owner, number> {
    const scores = new Map<Owner, number>();
    for (const word of new Set(folded.split(' '))) {
      for (const { owner, paddedParts, words } of this.byFirstWord.get(word) ?? []) {
        if (paddedParts.every((part) => padded.includes(part))) scores.set(owner, (scores.get(owner) ?? 0) + words);
      }
    }
    return scores;
  }
}
