import { readFileSync } from 'node:fs';
import path from 'node:path';
import { ContentError, defaultContentDir } from './loadContent';
import { Lexicon } from './triageSchema';

export function defaultLexiconFile(): string {
  return path.join(path.dirname(defaultContentDir()), 'triage', 'lexicon.json');
}

/** Loads and validates the triage lexicon; an error names the file and field. */
export function loadLexicon(file: string = defaultLexiconFile()): Lexicon {
  const name = path.join('knowledge', 'triage', path.basename(file));
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new ContentError(`loadLexicon(): ${name}: not valid JSON (${error instanceof Error ? error.message : String(error)})`);
  }
  const parsed = Lexicon.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new ContentError(`loadLexicon(): ${name}: ${issue.path.join('.') || 'file'} ${issue.message}`);
  }
  return parsed.data;
}
