import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { ContentError, readJsonFile } from './readJsonFile';
import { Command, ContentFile, TopicId, type Answer, type Distress, type Fact, type Topic } from './schema';

export { ContentError };

/** Where the content files are, whether running from source (ts-jest) or from dist/. */
export function defaultContentDir(): string {
  const candidates = [path.join(__dirname, 'content'), path.join(__dirname, '..', '..', 'knowledge', 'content')];
  const found = candidates.find((dir) => existsSync(dir));
  if (!found) throw new ContentError(`loadContent(): no content folder at ${candidates.join(' or ')}`);
  return found;
}

/** All content, validated and cross-checked; dialogs ask for answers by id. */
export class Content {
  private readonly answers = new Map<string, Answer>();
  private readonly facts = new Map<string, Fact>();

  constructor(
    answers: Answer[],
    facts: Fact[],
    readonly topics: Topic[],
    readonly commands: Partial<Record<Command, string[]>>,
    readonly spellings: Record<string, string> = {},
    readonly keepWords: string[] = [],
    readonly distress: Distress = { phrases: [], negations: [] },
  ) {
    for (const answer of answers) this.answers.set(answer.id, answer);
    for (const fact of facts) this.facts.set(fact.id, fact);
  }

  answer(id: string): Answer {
    const found = this.answers.get(id);
    if (!found) throw new ContentError(`Content.answer(): no answer with id "${id}"`);
    return found;
  }

  fact(id: string): Fact {
    const found = this.facts.get(id);
    if (!found) throw new ContentError(`Content.fact(): no fact with id "${id}"`);
    return found;
  }

  allAnswers(): Answer[] {
    return [...this.answers.values()];
  }

  allFacts(): Fact[] {
    return [...this.facts.values()];
  }
}

function readContentFile(file: string): ContentFile {
  return readJsonFile(file, ContentFile, 'loadContent()', path.join('knowledge', 'content', path.basename(file)));
}

/**
 * Loads every JSON file in the content folder and checks them against each other: ids are
 * unique, every fact an answer names exists, every topic's answer exists, and every id the
 * code relies on (`requiredAnswers`) is there.
 */
export function loadContent(dir: string = defaultContentDir(), requiredAnswers: readonly string[] = []): Content {
  const files = readdirSync(dir)
    .filter((file) => file.endsWith('.json'))
    .sort();
  const answers: Answer[] = [];
  const facts: Fact[] = [];
  const topics: Topic[] = [];
  const commands: Partial<Record<Command, string[]>> = {};
  const spellings: Record<string, string> = {};
  const keepWords: string[] = [];
  const distress: Distress = { phrases: [], negations: [] };
  const owner = new Map<string, string>();
  const claim = (kind: string, id: string, file: string): void => {
    const key = `${kind}:${id}`;
    const earlier = owner.get(key);
    if (earlier) throw new ContentError(`loadContent(): ${file}: ${kind} id "${id}" is already used in ${earlier}`);
    owner.set(key, file);
  };
  for (const file of files) {
    const content = readContentFile(path.join(dir, file));
    for (const fact of content.facts) claim('fact', fact.id, file);
    for (const answer of content.answers) claim('answer', answer.id, file);
    for (const topic of content.topics) claim('topic', topic.id, file);
    facts.push(...content.facts);
    answers.push(...content.answers);
    topics.push(...content.topics);
    for (const command of Command.options) {
      const words = content.commands[command];
      if (words) commands[command] = [...(commands[command] ?? []), ...words];
    }
    Object.assign(spellings, content.spellings);
    keepWords.push(...content.keepWords);
    distress.phrases.push(...content.distress.phrases);
    distress.negations.push(...content.distress.negations);
  }
  const factIds = new Set(facts.map((fact) => fact.id));
  const answerIds = new Set(answers.map((answer) => answer.id));
  const answerById = new Map(answers.map((answer) => [answer.id, answer]));
  for (const answer of answers) {
    const facts = [...answer.facts, ...answer.variants.flatMap((variant) => variant.facts)];
    const missing = facts.find((id) => !factIds.has(id));
    if (missing) throw new ContentError(`loadContent(): answer "${answer.id}" names fact "${missing}", which does not exist`);
    for (const next of [...answer.followUps, ...(answer.more ? [answer.more] : [])]) {
      const target = answerById.get(next);
      if (!target) throw new ContentError(`loadContent(): answer "${answer.id}" leads to answer "${next}", which does not exist`);
      if (!target.title && next !== answer.more) throw new ContentError(`loadContent(): answer "${next}" is a follow-up of "${answer.id}" but has no title for its button`);
    }
  }
  for (const topic of topics) {
    if (!answerIds.has(topic.answer)) throw new ContentError(`loadContent(): topic "${topic.id}" names answer "${topic.answer}", which does not exist`);
  }
  const absent = requiredAnswers.find((id) => !answerIds.has(id));
  if (absent) throw new ContentError(`loadContent(): answer "${absent}" is needed by the bot but no content file has it`);
  // The menu lists topics in the order pupils meet them, whatever the file names.
  topics.sort((a, b) => TopicId.options.indexOf(a.id) - TopicId.options.indexOf(b.id));
  return new Content(answers, facts, topics, commands, spellings, keepWords, distress);
}
