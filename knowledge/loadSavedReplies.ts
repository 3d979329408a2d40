import { existsSync } from 'node:fs';
import path from 'node:path';
import type { Content } from './loadContent';
import { ContentError, readJsonFile } from './readJsonFile';
import { SeedRepliesFile, type SeedReply } from './savedRepliesSchema';

/** Where the seed replies are, whether running from source (ts-jest) or from dist/. */
function defaultFile(): string {
  const candidates = [path.join(__dirname, 'adviser', 'saved-replies.json'), path.join(__dirname, '..', '..', 'knowledge', 'adviser', 'saved-replies.json')];
  const found = candidates.find((file) => existsSync(file));
  if (!found) throw new ContentError(`loadSavedReplies(): no saved replies at ${candidates.join(' or ')}`);
  return found;
}

/**
 * The saved replies seeded from the content (knowledge/adviser/saved-replies.json), validated as
 * an adviser's are (length, no markup, known placeholders) and cross-checked: names unique, every
 * fact named exists in the content (so its source and check date are kept with the facts).
 */
export function loadSavedReplies(content: Content, file: string = defaultFile()): SeedReply[] {
  const { replies } = readJsonFile(file, SeedRepliesFile, 'loadSavedReplies()', path.join('knowledge', 'adviser', path.basename(file)));
  const names = new Set<string>();
  const facts = new Set(content.allFacts().map((fact) => fact.id));
  for (const reply of replies) {
    if (names.has(reply.name)) throw new ContentError(`loadSavedReplies(): saved reply name "${reply.name}" is used twice`);
    names.add(reply.name);
    const missing = reply.facts.find((id) => !facts.has(id));
    if (missing) throw new ContentError(`loadSavedReplies(): saved reply "${reply.name}" names fact "${missing}", which does not exist`);
  }
  return replies;
}
